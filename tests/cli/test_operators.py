"""What operators see from long and failing commands: progress, stated batch limits, one-line
errors, a worker that waits for its queue without a flood of tracebacks, counts in good English."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from rapport.cli import QueueOutage
from rapport.mail import sources
from rapport.platform.progress import Progress, duration
from rapport.platform.words import count

ROOT = Path(__file__).resolve().parents[2]


# --- words and progress ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "word", "text"),
    [
        (1, "message", "1 message"),
        (0, "message", "0 messages"),
        (1696, "open case", "1,696 open cases"),
        (2, "breach", "2 breaches"),
        (1, "breach", "1 breach"),
        (3, "delivery", "3 deliveries"),
        (2, "day", "2 days"),
    ],
)
def test_counts_agree_with_their_number(n, word, text):
    assert count(n, word) == text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_progress_shows_count_rate_and_time_left():
    clock, screen, out = Clock(), io.StringIO(), io.StringIO()
    progress = Progress("Cases examined", total=1000, stream=screen, out=out, tty=True, clock=clock)

    clock.now += 10
    progress.update(250)
    clock.now += 0.1
    progress.update(260)  # too soon to redraw

    assert screen.getvalue() == "\r\033[KCases examined: 250 / 1,000  25/s  about 30.0s left"
    clock.now += 29.9
    progress.update(1000)
    progress.finish("1,000 open cases now measured")
    assert out.getvalue() == "1,000 open cases now measured (took 40.0s, 25.0/s).\n"
    assert screen.getvalue().endswith("\r\033[K")


def test_elsewhere_progress_is_only_the_final_summary():
    clock, log, out = Clock(), io.StringIO(), io.StringIO()
    progress = Progress("Messages filed", total=2000, stream=log, out=out, tty=False, clock=clock)
    for done in range(0, 2001, 500):
        clock.now += 60
        progress.update(done)

    progress.finish("2,000 messages: 2,000 new cases.")

    assert log.getvalue() == ""
    assert out.getvalue() == "2,000 messages: 2,000 new cases (took 5m00s, 6.7/s).\n"


def test_durations_read_as_time():
    assert [duration(s) for s in (4.26, 223, 3725)] == ["4.3s", "3m43s", "1h02m"]


# --- rapport mail import -----------------------------------------------------------------------------


def _mbox(n: int) -> bytes:
    return b"".join(
        b"From sender@example.com Mon Mar  2 10:00:00 2026\n"
        + f"From: Sender {i} <s{i}@example.com>\nSubject: Order {i}\nMessage-ID: <m{i}@example.com>\n\n".encode()
        + b">From the start: a quoted line that would otherwise be a separator.\n\n"
        for i in range(n)
    )


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_an_mbox_is_counted_as_the_importer_reads_it(tmp_path, monkeypatch, chunk):
    path = tmp_path / "archive.mbox"
    path.write_bytes(_mbox(23))
    monkeypatch.setattr(sources, "_CHUNK", chunk)

    assert sources.count_messages(path) == len(list(sources.read_messages(path))) == 23


def test_a_maildir_is_counted(tmp_path):
    for sub, names in (("new", ["a", "b"]), ("cur", ["c", ".hidden"]), ("tmp", ["d"])):
        (tmp_path / sub).mkdir()
        for name in names:
            (tmp_path / sub / name).write_bytes(b"Subject: x\n\nx\n")

    assert sources.count_messages(tmp_path) == 3


# --- failures are one line ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rapport(*args: str, env: dict[str, str], **kwargs):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "rapport.cli", *args], env={**clean, **env}, cwd=ROOT, text=True, **kwargs
    )


def test_migrate_against_a_database_that_cannot_be_reached_is_one_line(tmp_path):
    port = _free_port()  # nothing listens there
    env = {"RAPPORT_DATA_DIR": str(tmp_path), "DATABASE_URL": f"postgres://rapport@127.0.0.1:{port}/rapport"}

    run = _rapport("migrate", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = run.communicate(timeout=120)

    assert run.returncode == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"rapport: cannot use the PostgreSQL database 'rapport' on 127.0.0.1:{port} (DATABASE_URL): ")
    assert "Connection refused" in err or "connection failed" in err


def _postgres_running() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 5432)) == 0


@pytest.mark.skipif(not _postgres_running(), reason="PostgreSQL is not running on 127.0.0.1:5432")
def test_migrate_against_a_database_that_does_not_exist_is_one_line(tmp_path):
    env = {
        "RAPPORT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/rapport_no_such_database",
    }

    run = _rapport("migrate", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = run.communicate(timeout=120)

    assert run.returncode == 2
    assert len(err.splitlines()) == 1, err
    assert 'database "rapport_no_such_database" does not exist' in err


# --- the worker and an unreachable queue ---------------------------------------------------------------


def test_the_worker_waits_for_an_unreachable_queue_with_one_line_per_growing_wait(tmp_path):
    port = _free_port()
    env = {"RAPPORT_DATA_DIR": str(tmp_path), "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    worker = _rapport("worker", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    said: list[str] = []
    try:
        assert worker.stderr is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = worker.stderr.readline()
            said.append(line)
            if not line or "attempt 3" in line:
                break
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert len(said) == 3, "".join(said)
    for attempt, wait in ((1, 1), (2, 2), (3, 4)):
        assert said[attempt - 1].startswith("rapport: the job queue is not reachable (")
        assert said[attempt - 1].endswith(f"; attempt {attempt}, trying again in {wait}s\n")


def _outage_record() -> logging.LogRecord:
    try:
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    except redis.ConnectionError:
        return logging.LogRecord(
            "huey.consumer.Worker-1", logging.ERROR, __file__, 1, "Error reading from queue", (), sys.exc_info()
        )


def test_a_queue_outage_while_running_is_reported_as_the_wait_doubles():
    clock = Clock()
    outage = QueueOutage(clock=clock, first=1, longest=8)
    shown = []
    for _ in range(80):  # a poll every 0.25 s for 20 s
        record = _outage_record()
        if outage.filter(record):
            shown.append(record)
        clock.now += 0.25

    assert len(shown) == 5  # at 0 s, then after 1, 2, 4 and 8 s of quiet: 1, 3, 7 and 15 s
    assert all(record.exc_info is None for record in shown)
    assert shown[0].getMessage() == (
        "Error reading from queue: Error 111 connecting to 127.0.0.1:6379. Connection refused.; "
        "the same held back for 1s"
    )
    assert "(3 more like it held back); the same held back for 2s" in shown[1].getMessage()
    # a record that is not an outage passes untouched and the wait starts again
    other = logging.LogRecord("huey", logging.INFO, __file__, 1, "Executing %s", ("task",), None)
    assert outage.filter(other)
    assert outage.wait == 1
