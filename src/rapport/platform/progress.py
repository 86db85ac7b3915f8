"""How a long command is getting on: count, rate and time left.

On a terminal, one line on stderr is rewritten in place at most every half second; anywhere else
(a log file, cron mail, a pipe) that would be noise, so nothing is shown until the command's final
summary line, which says how long it took.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """``update(done)`` as work goes; ``finish(summary)`` once, for the final line (on stdout)."""

    def __init__(
        self,
        what: str,
        *,
        total: int | None = None,
        stream: TextIO | None = None,
        out: TextIO | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = 0.5,
    ) -> None:
        self.what = what
        self.total = total
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.every = every
        self.started = clock()
        self.shown_at: float | None = None
        self.done = 0

    def line(self, done: int, now: float) -> str:
        spent = now - self.started
        rate = done / spent if spent > 0 else 0.0
        text = f"{self.what}: {done:,}" + (f" / {self.total:,}" if self.total is not None else "")
        text += f"  {rate:,.1f}/s" if rate < 10 else f"  {rate:,.0f}/s"
        if self.total is not None and rate > 0 and done < self.total:
            text += f"  about {duration((self.total - done) / rate)} left"
        return text

    def update(self, done: int) -> None:
        self.done = done
        if not self.tty:
            return
        now = self.clock()
        if self.shown_at is not None and now - self.shown_at < self.every:
            return
        self.shown_at = now
        self.stream.write("\r\033[K" + self.line(done, now))
        self.stream.flush()

    def finish(self, summary: str) -> None:
        """Clears the progress line and prints ``summary`` with the time taken (and the rate, after a second)."""
        if self.tty and self.shown_at is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
        spent = self.clock() - self.started
        rate = f", {self.done / spent:,.1f}/s" if self.done and spent >= 1 else ""
        print(f"{summary.rstrip('.')} (took {duration(spent)}{rate}).", file=self.out, flush=True)
