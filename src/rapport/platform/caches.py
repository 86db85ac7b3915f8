"""Every per-process cache, in one registry (ADR 0007).

Nothing may assume one process, so whatever a process remembers between requests is registered
here with three facts:

- its **key**: what the remembered value is a function of;
- its **age limit**: seconds before it is read afresh, or ``None`` for a pure function of its key
  (a reversal, a layout, a stem), which can never go stale and is bounded by size instead;
- **what clears it**: the models it copies. A save or delete of one of them clears it at once
  (so a read later in the same transaction sees the write) and again when that transaction
  commits (so a read in between cannot leave the uncommitted value behind). That is the only
  way a cache is cleared by a write.

``clear_all()`` empties every one of them; the test suite calls it around every test
(``tests/conftest.py``), so no test sees another's rows through a remembered copy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from rapport.platform.shortlived import ShortLivedCopy

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

ALREADY_REGISTERED = "A cache named {name!r} is already registered."


@dataclass(frozen=True)
class Cache:
    """One registered cache: its facts, and how to empty it."""

    name: str
    key: str
    max_age: float | None
    copies: tuple[str, ...]
    clear: Callable[[], None]

    def clear_on_write(self, *, using: str = "default", **_signal: Any) -> None:
        """A model it copies was saved or deleted: forget now, and again once the write commits."""
        self.clear()
        transaction.on_commit(self.clear, using=using)


_registry: dict[str, Cache] = {}


def register(
    name: str, *, clear: Callable[[], None], key: str, max_age: float | None, copies: tuple[str, ...] = ()
) -> Cache:
    """Add a cache to the registry; ``copies`` names the models (``"app_label.Model"``) whose
    writes clear it. A name is registered once: a second registration is a mistake, not an update."""
    if name in _registry:
        raise ValueError(ALREADY_REGISTERED.format(name=name))
    entry = _registry[name] = Cache(name=name, key=key, max_age=max_age, copies=copies, clear=clear)
    for label in copies:  # a lazy sender: connected once the model's app is loaded
        for write, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                entry.clear_on_write, sender=label, weak=False, dispatch_uid=f"caches:{name}:{label}:{write}"
            )
    return entry


def registered() -> list[Cache]:
    """Every registered cache, by name."""
    return sorted(_registry.values(), key=lambda entry: entry.name)


def clear_all() -> None:
    """Empty every registered cache."""
    for entry in _registry.values():
        entry.clear()


def short_lived(name: str, load: Callable[[], T], *, ttl: float, copies: tuple[str, ...]) -> ShortLivedCopy[T]:
    """A registered ``ShortLivedCopy`` of something a page only displays (ADR 0007)."""
    copy = ShortLivedCopy(load, ttl=ttl)
    register(name, clear=copy.clear, key="nothing: one value", max_age=ttl, copies=copies)
    return copy


def memo(name: str, *, key: str, maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``functools.lru_cache`` for a pure function of its arguments, registered: bounded by size,
    never stale, cleared by nothing but ``clear_all``."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        remembered = functools.lru_cache(maxsize=maxsize)(function)
        register(name, clear=remembered.cache_clear, key=key, max_age=None)
        return remembered  # type: ignore[return-value]  # lru_cache keeps the signature

    return decorate


def _register_domain_memos() -> None:
    """The pure rules remember some answers of their own; ``rapport.domain`` imports nothing of
    ours, so its memos are registered here, from the layer above it."""
    from rapport.domain import bank_holidays, calendar, language, marking

    register(
        "domain.bank_holidays",
        clear=bank_holidays.bank_holidays.cache_clear,
        key="nation, year",
        max_age=None,
    )
    register(
        "domain.calendar.offset_segments",
        clear=calendar._offset_segments.cache_clear,
        key="time zone, year",
        max_age=None,
    )
    register("domain.marking.stem", clear=marking.stem.cache_clear, key="word", max_age=None)
    # The organisation's jargon and known-term lists (settings), compiled once each.
    register("domain.language.term_pattern", clear=language._term_pattern.cache_clear, key="terms", max_age=None)
    register("domain.language.known", clear=language._known.cache_clear, key="terms", max_age=None)


_register_domain_memos()
