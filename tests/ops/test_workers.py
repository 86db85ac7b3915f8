"""Periodic jobs run once per schedule however many workers run (ADR 0011, ADR 0032): a scheduler
(``rapport worker``) and two workers (``rapport worker --no-scheduler``), each a process with a data
folder of its own as on separate hosts, share one Redis queue and one database. Only the scheduler
queues the periodic jobs; each every-minute job is run once, by whichever worker takes it, and its
period is claimed once."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("RAPPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
EVERY_MINUTE = (
    "rapport.cases.tasks.journal_redeliver",
    "rapport.mail.tasks.outbox_flush",
    "rapport.sla.tasks.sla_check_periodic",
)


@pytest.fixture
def queue():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()


def _env(tmp_path: Path, host: str) -> dict[str, str]:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("RAPPORT_", "DJANGO_"))},
        "RAPPORT_ENV": "test",
        "RAPPORT_DATA_DIR": str(tmp_path / host),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT),
    }


def test_two_workers_and_a_scheduler_run_each_periodic_job_once(queue, tmp_path):
    rapport = [sys.executable, "-m", "rapport.cli"]
    migrated = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [*rapport, "migrate"], env=_env(tmp_path, "host-a"), cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert migrated.returncode == 0, migrated.stderr

    hosts = {"host-a": ["worker"], "host-b": ["worker", "--no-scheduler"], "host-c": ["worker", "--no-scheduler"]}
    logs = {host: (tmp_path / f"{host}.log").open("w") for host in hosts}
    processes = {
        host: subprocess.Popen(  # noqa: S603
            [*rapport, *arguments], env=_env(tmp_path, host), cwd=ROOT, stdout=logs[host], stderr=subprocess.STDOUT
        )
        for host, arguments in hosts.items()
    }
    try:
        # the scheduler queues the periodic jobs as it starts (processes start slowly on a busy
        # machine), and again a minute later: everything below happens inside that minute
        first = _wait_for(lambda: "Enqueueing periodic task" in _log(tmp_path, "host-a"), within=240)
        runs: dict[str, int] = {}
        while time.monotonic() < first + 45:
            time.sleep(1)
            runs = _executions(tmp_path, hosts)
            if all(runs.get(job) for job in EVERY_MINUTE) and queue.llen("huey.redis.rapport") == 0:
                time.sleep(2)  # a second enqueue of the same period would show by now
                runs = _executions(tmp_path, hosts)
                break
        inside_the_minute = time.monotonic() - first < 58
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGINT)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in logs.values():
            handle.close()
    text = {host: _log(tmp_path, host) for host in hosts}
    assert inside_the_minute, "the test must finish inside the scheduler's first minute"

    # only the scheduler queued periodic jobs
    assert "Enqueueing periodic task" in text["host-a"], text["host-a"]
    assert "Enqueueing periodic task" not in text["host-b"] + text["host-c"]

    # each every-minute job ran exactly once, across the three processes
    for job in EVERY_MINUTE:
        assert runs.get(job) == 1, (job, runs, text)
    # (which of the three takes a job is the queue's choice: the scheduler's own worker may take all
    # of them, so that is not asserted; that each ran once among all three is the point)

    # and each job's period was claimed once in the shared database
    with sqlite3.connect(tmp_path / "shared.sqlite3") as db:
        claims = db.execute("SELECT job, period_start, COUNT(*) FROM platform_periodicrun GROUP BY 1, 2").fetchall()
    for job in EVERY_MINUTE:
        assert [count for name, _, count in claims if name == job] == [1], (job, claims)


def _log(tmp_path: Path, host: str) -> str:
    path = tmp_path / f"{host}.log"
    return path.read_text() if path.exists() else ""


def _wait_for(condition, *, within: float) -> float:
    """When ``condition`` first held (time.monotonic()), polling every tenth of a second."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the scheduler did not start"
        time.sleep(0.1)
    return time.monotonic()


EXECUTING = re.compile(r"Executing (rapport\.[\w.]+):")


def _executions_in(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in EXECUTING.findall(text):
        counts[name] = counts.get(name, 0) + 1
    return counts


def _executions(tmp_path: Path, hosts: dict[str, list[str]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for host in hosts:
        for name, count in _executions_in(_log(tmp_path, host)).items():
            total[name] = total.get(name, 0) + count
    return total
