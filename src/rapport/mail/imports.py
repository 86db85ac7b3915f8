"""Importing mail from files: each message filed in turn, streaming, idempotent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rapport.mail.inbound import mail_receive, own_addresses
from rapport.mail.sources import read_messages


@dataclass
class ImportSummary:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        parts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(self.counts.items()))
        return f"{self.total} messages: {parts or 'none'}."


def mail_import(
    *,
    path: Path,
    now: datetime,
    acknowledge: bool = False,
    progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    ours = own_addresses()
    for source, raw in read_messages(path):
        result = mail_receive(raw=raw, now=now, source=source, acknowledge=acknowledge, ours=ours)
        summary.counts[result.disposition] += 1
        if progress is not None and summary.total % 1000 == 0:
            progress(summary)
    return summary
