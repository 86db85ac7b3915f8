"""Erased data gone from the files too: the full-text index merged and the SQLite logs truncated.

Rows are anonymised inside the erasure's transaction, but SQLite still holds the old words in two
places until later: old full-text index segments (until they merge) and old frames of the
write-ahead log (until a checkpoint truncates it). Merging a large index takes tens of seconds,
so it runs as a job after the erasure commits, a few hundred pages per step, and only then is the
erasure recorded as complete (UK GDPR Art 17; ICO guidance on erasure: "put beyond use" is for
backups, not for live files). Deleted bytes are zeroed as they are freed: every connection sets
``secure_delete`` (``rapport.platform.dbbackends.sqlite``, ``rapport.platform.queue``).

On PostgreSQL the index holds no deleted text and the server reclaims dead rows by vacuum; the job
then only records completion.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import db_task

from rapport.cases import search
from rapport.platform.dbbackends.sqlite.base import truncate_log
from rapport.privacy.models import Erasure, ErasureStatus


class FilesBusy(Exception):
    """A reader kept an old snapshot open; the job tries again later."""


def sqlite_files() -> list[str]:
    """The SQLite files that may hold personal data: the database, and Huey's queue when it is SQLite."""
    files = []
    if connection.vendor == "sqlite":
        files.append(str(settings.DATABASES["default"]["NAME"]))
    queue_file = settings.HUEY.get("filename") if isinstance(settings.HUEY, dict) else None
    if queue_file:
        files.append(str(queue_file))
    return files


def database_files_clean() -> None:
    """Merge the full-text index and truncate every SQLite log, or raise ``FilesBusy``."""
    search.compact_index()
    busy = [path for path in sqlite_files() if not truncate_log(path)]
    if busy:
        raise FilesBusy(", ".join(busy))


def erasure_complete(erasure_id: int, *, now: datetime | None = None) -> bool:
    """Finish an erasure in the files and record it complete. Safe to run twice (a job may be
    delivered more than once): an erasure already complete is left as it is. False if none waits."""
    if not Erasure.objects.filter(pk=erasure_id, status=ErasureStatus.CLEARING_FILES).exists():
        return False
    database_files_clean()
    Erasure.objects.filter(pk=erasure_id, status=ErasureStatus.CLEARING_FILES).update(
        status=ErasureStatus.DONE, done_at=now or timezone.now()
    )
    return True


@db_task(retries=20, retry_delay=30)
def erasure_complete_job(erasure_id: int) -> None:
    erasure_complete(erasure_id)


@db_task(retries=20, retry_delay=30)
def database_files_clean_job() -> None:
    """After a retention run removed data: the same clearing, with nothing to record."""
    database_files_clean()
