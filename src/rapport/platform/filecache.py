"""The shared cache in files, for one host on SQLite without Redis (ADR 0025)."""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class FileCache(DjangoCache):  # type: ignore[misc]  # diskcache ships no type information
    """diskcache's Django cache, its connections kept open from one request to the next.

    Django closes every cache when a request ends (``request_finished``). For diskcache that closes
    each shard's SQLite connection, opened again with its pragmas on the next request: with four
    shards, about a fifth of the case page's CPU. Connections are per thread, and diskcache opens
    fresh ones in a process made by fork (it checks the process id), so nothing needs closing
    between requests; the files are closed when the process ends."""

    def close(self, **kwargs: Any) -> None:
        """Kept open: see the class."""
