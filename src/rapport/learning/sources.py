"""Where the organisation's study-unit documents are found: ``RAPPORT_SEEDS_DIR``, else the
``shared/seeds`` folder beside the checkout. The product ships no copy of them."""

from __future__ import annotations

import os
from pathlib import Path

from rapport.learning.services import Document

SEEDS_ENV = "RAPPORT_SEEDS_DIR"


def seeds_dir() -> Path | None:
    configured = os.environ.get(SEEDS_ENV)
    # src/rapport/learning/sources.py: the checkout is three folders up; the seeds sit beside it.
    path = Path(configured) if configured else Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
    return path if path.is_dir() else None


def seed_documents() -> list[Document]:
    folder = seeds_dir()
    if folder is None:
        return []
    return [read_document(path) for path in sorted(folder.glob("*.txt"))]


def read_document(path: Path, code: str | None = None) -> Document:
    return Document(source_name=path.name, text=path.read_text(encoding="utf-8-sig"), code=code)
