"""Huey's SQLite queue, with what a task carried overwritten once it has run.

A task's arguments are stored until a worker takes it; with ``secure_delete`` the row's bytes are
zeroed when it is deleted, so nothing a task once carried lingers in the queue's file (an erasure
must leave no copy behind: UK GDPR Art 17).
"""

from __future__ import annotations

import sqlite3

from huey import SqliteHuey
from huey.storage import SqliteStorage


class SecureSqliteStorage(SqliteStorage):  # type: ignore[misc]
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("PRAGMA secure_delete=ON")
        return conn


class SecureSqliteHuey(SqliteHuey):  # type: ignore[misc]
    storage_class = SecureSqliteStorage
