"""Where the organisation's study-unit documents are, for tests that need them (never copied
into the repository): ``RAPPORT_SEEDS_DIR``, else ``../shared/seeds`` beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEEDS = Path(os.environ.get("RAPPORT_SEEDS_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "seeds")
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seeds = pytest.mark.skipif(
    not SEED_FILES, reason=f"the study-unit documents are not at {SEEDS} (set RAPPORT_SEEDS_DIR)"
)
LABELLED = Path(__file__).parent / "labelled"


def seed_file(prefix: str) -> Path:
    return next(path for path in SEED_FILES if path.name.startswith(f"{prefix}_"))
