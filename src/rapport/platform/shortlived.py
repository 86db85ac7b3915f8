"""A process's short-lived copy of a value it only displays (ADR 0007).

The copy is loaded at most once every ``ttl`` seconds, so other processes catch up with a change
on their own; a write in this process clears it at once. Make one with
``rapport.platform.caches.short_lived``, which registers it and clears it on writes of what it
copies. Nothing that decides an outcome may read it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ShortLivedCopy(Generic[T]):
    def __init__(self, load: Callable[[], T], *, ttl: float, clock: Callable[[], float] = time.monotonic):
        self._load, self._ttl, self._clock = load, ttl, clock
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded_at = 0.0

    def __call__(self) -> T:
        with self._lock:
            now = self._clock()
            if self._value is None or now - self._loaded_at >= self._ttl:
                self._value, self._loaded_at = self._load(), now
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = None
