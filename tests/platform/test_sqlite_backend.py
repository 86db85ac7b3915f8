"""The SQLite backend queues writers on a file lock, taken for a write transaction and freed after."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

import pytest
from django.db import connections

from rapport.platform.dbbackends.sqlite import base as sqlite_base
from rapport.platform.dbbackends.sqlite.base import DatabaseWrapper


def _lock_is_free(path: str) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


@pytest.fixture
def wrapper(db, tmp_path):
    settings_dict = {**connections["default"].settings_dict, "NAME": str(tmp_path / "lock.sqlite3")}
    settings_dict["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    db = DatabaseWrapper(settings_dict, alias="lock-test")
    yield db
    db.close()


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_write_transaction_holds_the_lock_until_it_ends(wrapper, ending):
    path = wrapper.settings_dict["NAME"] + ".writelock"
    wrapper.ensure_connection()
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")

    wrapper._start_transaction_under_autocommit()
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    assert not _lock_is_free(path)

    wrapper._rollback() if ending == "rollback" else wrapper._commit()
    assert _lock_is_free(path)


def test_reads_never_take_the_lock(wrapper):
    path = wrapper.settings_dict["NAME"] + ".writelock"
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert not os.path.exists(path) or _lock_is_free(path)


# --- checkpoints off the request path ----------------------------------------------------------------


@pytest.fixture
def wal_wrapper(db, tmp_path):
    settings_dict = {**connections["default"].settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}
    settings_dict["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"}
    made = DatabaseWrapper(settings_dict, alias="wal-test")
    yield made
    made.close()
    sqlite_base._background.pop(settings_dict["NAME"], None)


def _autocheckpoint(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return cursor.fetchone()[0]


def test_connections_checkpoint_on_commit_unless_a_thread_does_it(wal_wrapper):
    assert _autocheckpoint(wal_wrapper) == 1000  # SQLite's own threshold
    wal_wrapper.close()

    assert sqlite_base.checkpoint_in_background(wal_wrapper.settings_dict["NAME"], every=3600)
    assert not sqlite_base.checkpoint_in_background(wal_wrapper.settings_dict["NAME"], every=3600)  # one is enough

    assert _autocheckpoint(wal_wrapper) == sqlite_base.SAFETY_NET_PAGES


def test_memory_databases_have_no_checkpointer():
    assert not sqlite_base.checkpoint_in_background(":memory:")
    assert not sqlite_base.checkpoint_in_background("file:memorydb_default?mode=memory&cache=shared")


def test_a_checkpoint_copies_the_log_back(wal_wrapper):
    with wal_wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x TEXT)")
        cursor.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn = sqlite3.connect(wal_wrapper.settings_dict["NAME"], isolation_level=None)
    try:
        busy, pages, copied = sqlite_base.checkpoint(conn)
    finally:
        conn.close()
    assert busy == 0
    assert pages > 0
    assert copied == pages


def test_the_thread_checkpoints_while_requests_write(wal_wrapper, monkeypatch):
    done = threading.Event()
    seen: list[tuple[int, int, int]] = []
    real = sqlite_base.checkpoint

    def watched(conn):
        result = real(conn)
        seen.append(result)
        if result[1] > 0 and result[2] == result[1]:
            done.set()
        return result

    monkeypatch.setattr(sqlite_base, "checkpoint", watched)
    sqlite_base.checkpoint_in_background(wal_wrapper.settings_dict["NAME"], every=0.01)
    with wal_wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x TEXT)")
        cursor.executemany("INSERT INTO t VALUES (?)", [("y" * 500,)] * 200)

    assert done.wait(timeout=10), seen


def test_a_stopped_checkpointer_gives_commits_their_checkpoints_back(wal_wrapper, monkeypatch):
    class Stopped:
        def is_alive(self) -> bool:
            return False

    monkeypatch.setitem(sqlite_base._background, wal_wrapper.settings_dict["NAME"], Stopped())
    assert _autocheckpoint(wal_wrapper) == 1000
