"""Importing mail from files: each message filed in turn, streaming, idempotent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

from django.db import connection, transaction

from rapport.mail.bulk import file_batch
from rapport.mail.inbound import mail_receive, own_addresses
from rapport.mail.sources import read_messages
from rapport.platform.words import count

BATCH = 500


@dataclass
class ImportSummary:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        parts = ", ".join(_outcome(what, n) for what, n in sorted(self.counts.items()))
        return f"{count(self.total, 'message')}: {parts or 'none'}."


def _outcome(disposition: str, n: int) -> str:
    """What happened to ``n`` messages, in words that agree with the number."""
    if disposition == "case_created":
        return count(n, "new case")
    if disposition == "added":
        return f"{n:,} added to {'a case' if n == 1 else 'cases'}"
    if disposition == "duplicate":
        return f"{n:,} already filed"
    if disposition == "bounce":
        return count(n, "delivery failure")
    if disposition == "automated":
        return f"{n:,} automated (no case)"
    return f"{n:,} {disposition.replace('_', ' ')}"


def mail_import(
    *,
    path: Path,
    now: datetime,
    acknowledge: bool = False,
    bulk: bool = True,
    progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """File every message at ``path``. Messages are committed in batches of ``BATCH`` (each one in
    its own savepoint, so one bad message is quarantined without undoing the others); an import
    stopped half-way is simply run again: what was committed is recognised and skipped.

    ``bulk`` files each batch with ``bulk.file_batch`` (the same rules, written a batch at a time);
    without it every message goes through ``mail_receive`` in turn, as the IMAP poll does."""
    if bulk:
        return _import_in_batches(path=path, now=now, acknowledge=acknowledge, progress=progress)
    summary = ImportSummary()
    _bound_database_memory()
    ours = own_addresses()
    messages = read_messages(path)
    while True:
        with transaction.atomic():
            filed = 0
            for source, raw in messages:
                result = mail_receive(raw=raw, now=now, source=source, acknowledge=acknowledge, ours=ours)
                summary.counts[result.disposition] += 1
                filed += 1
                if filed == BATCH:
                    break
        if progress is not None:
            progress(summary)
        if filed < BATCH:
            return summary


def _import_in_batches(
    *, path: Path, now: datetime, acknowledge: bool, progress: Callable[[ImportSummary], None] | None
) -> ImportSummary:
    summary = ImportSummary()
    _bound_database_memory()
    ours = own_addresses()
    messages = read_messages(path)
    while True:
        batch = list(islice(messages, BATCH))
        with transaction.atomic():
            for result in file_batch(batch, now=now, acknowledge=acknowledge, ours=ours):
                summary.counts[result.disposition] += 1
        if progress is not None:
            progress(summary)
        if len(batch) < BATCH:
            return summary


def _bound_database_memory() -> None:
    """SQLite keeps a 64 MB page cache and maps up to 256 MB of the file into memory (settings),
    which suits the web server; a long import would grow to that footprint as the database grows.
    For this connection, keep a 16 MB cache and read through the file instead."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-16384")
            cursor.execute("PRAGMA mmap_size=0")
