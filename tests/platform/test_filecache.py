"""The file cache keeps its SQLite connections open from one request to the next (ADR 0025)."""

from __future__ import annotations

from diskcache import DjangoCache

from rapport.platform.filecache import FileCache


def _connections(cache: DjangoCache) -> list[object]:
    return [getattr(shard._local, "con", None) for shard in cache._cache._shards]


def test_the_end_of_a_request_leaves_the_connections_open(tmp_path):
    cache = FileCache(str(tmp_path / "cache"), {"SHARDS": 2})
    cache.set("presence", "here")
    cache.set("counts", 7)
    opened = _connections(cache)

    cache.close()  # what Django does for every cache when a request ends

    assert _connections(cache) == opened
    assert all(opened)
    assert (cache.get("presence"), cache.get("counts")) == ("here", 7)


def test_diskcache_itself_would_close_them_at_every_request(tmp_path):
    cache = DjangoCache(str(tmp_path / "cache"), {"SHARDS": 2})
    cache.set("presence", "here")
    cache.set("counts", 7)

    cache.close()

    assert _connections(cache) == [None, None]
