"""Compile the translation catalogues (``.po`` → ``.mo``) before the suite when they are missing or
older than their source, the same way ``make`` does (Babel, no GNU gettext needed), so running
pytest directly never tests a stale catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "src" / "rapport" / "locale"


def compile_stale(locale: Path = LOCALE) -> list[Path]:
    """Each catalogue under ``locale`` whose ``.mo`` is missing or older than its ``.po``, compiled;
    fuzzy entries are left out, as Django would ignore them."""
    done = []
    for source in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as handle:
            catalogue = read_po(handle, locale=source.parents[1].name)
        with target.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        done.append(target)
    return done
