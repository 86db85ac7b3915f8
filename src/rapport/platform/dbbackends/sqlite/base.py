"""SQLite with a fair queue for writers, and checkpoints off the request path.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
retries in steps of up to 100 ms. Under a burst of writes (eight agents saving at once) those
sleeps, not the work, made the slowest requests slow. Here each write transaction first takes an
exclusive ``flock`` on a file beside the database: the kernel wakes the next writer the moment the
lock is free, across threads and processes alike. Reads never take it.

In WAL mode the commit that fills the log past ``wal_autocheckpoint`` pages copies the log back
into the database and syncs it, inside that commit: with a large database this took tens to
hundreds of milliseconds while every other writer queued behind the lock. A web process instead
calls ``checkpoint_in_background()``: its connections leave checkpoints to a thread of its own,
which runs a PASSIVE checkpoint (one that never blocks readers or writers) twice a second. The
request path keeps a far larger automatic threshold as a safety net, should that thread fall
behind.

Every connection sets ``secure_delete``: SQLite then overwrites deleted and replaced content with
zeros instead of leaving it in free space, whatever the library's compile-time default (Debian's
leaves it off). With ``truncate_log`` after an erasure, erased data is gone from the database file
and from its write-ahead log (UK GDPR Art 17: erasure is of the data, not only of its rows).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

log = logging.getLogger(__name__)

# Pages of log after which a request's own commit still checkpoints (about 80 MB): reached only
# when the background checkpointer is stopped or far behind. SQLite's default is 1000 (4 MB).
SAFETY_NET_PAGES = 20_000
CHECKPOINT_EVERY = 0.5  # seconds; a burst of new cases writes a few thousand pages a second
_background: dict[str, threading.Thread] = {}


def is_file_database(name: str) -> bool:
    """Whether ``name`` is a database file on disk (not an in-memory or URI database)."""
    return bool(name) and name != ":memory:" and not name.startswith("file:") and "mode=memory" not in name


def checkpoint(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """One PASSIVE checkpoint: (1 if it could not run now, pages in the log, pages copied back)."""
    busy, pages, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(busy), int(pages), int(copied)


def truncate_log(path: str, *, attempts: int = 50, wait: float = 0.1) -> bool:
    """Copy the whole write-ahead log of the database at ``path`` back into it and truncate the log
    to zero bytes (a TRUNCATE checkpoint), so what was erased is not left in old log frames. Waits
    for readers of older snapshots to finish; False if they never did within the attempts."""
    if not is_file_database(path) or not os.path.exists(path):
        return True
    conn = sqlite3.connect(path, timeout=wait, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        for _ in range(attempts):
            busy, _pages, _copied = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            time.sleep(wait)
        return False
    finally:
        conn.close()


def checkpoint_in_background(path: str, *, every: float = CHECKPOINT_EVERY) -> bool:
    """Checkpoint the database at ``path`` from a daemon thread of this process from now on, and
    let this process's new connections to it leave checkpoints to that thread. False if one runs."""
    if not is_file_database(path):
        return False
    running = _background.get(path)
    if running is not None and running.is_alive():
        return False

    conn = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)

    def run() -> None:
        while True:
            time.sleep(every)
            try:
                checkpoint(conn)
            except Exception:
                log.debug("background checkpoint of %s skipped", path, exc_info=True)

    thread = threading.Thread(target=run, name=f"sqlite-checkpoint:{os.path.basename(path)}", daemon=True)
    _background[path] = thread
    thread.start()
    return True


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_lock_held = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        return f"{name}.writelock" if is_file_database(name) else None

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock_held:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._write_lock_held = True

    def _release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        conn.execute("PRAGMA secure_delete=ON")
        checkpointer = _background.get(str(self.settings_dict["NAME"]))
        if checkpointer is not None and checkpointer.is_alive():
            conn.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")
        return conn

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
