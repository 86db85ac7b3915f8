"""The SQLite backend queues writers on a file lock, taken for a write transaction and freed after."""

from __future__ import annotations

import fcntl
import os

import pytest
from django.db import connections

from rapport.dbbackends.sqlite.base import DatabaseWrapper


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
