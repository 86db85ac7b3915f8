"""Jobs carry the request id that queued them and the time they were queued; failures are
counted (``rapport.platform.queue``, ADR 0032)."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import REGISTRY

from rapport.platform import logs
from rapport.platform.queue import SecureSqliteHuey


def test_a_job_runs_under_the_request_id_that_queued_it_and_its_age_is_known(tmp_path):
    huey = SecureSqliteHuey("rapport-envelope", filename=str(tmp_path / "queue.sqlite3"))
    seen: list[str] = []

    @huey.task()
    def note_request_id():
        seen.append(logs.request_id.get())

    # given a request queues the job
    token = logs.request_id.set("req-7f3a")
    try:
        before = datetime.now(UTC)
        note_request_id()
    finally:
        logs.request_id.reset(token)

    # then the queue knows when its oldest job was queued
    oldest = huey.oldest_queued_at()
    assert oldest is not None
    assert before.timestamp() - 1 <= oldest.timestamp() <= datetime.now(UTC).timestamp()
    assert huey.pending_count() == 1

    # and a worker runs it under that request id, which is gone afterwards
    task = huey.dequeue()
    huey.execute(task)
    assert seen == ["req-7f3a"]
    assert logs.request_id.get() == ""
    assert huey.oldest_queued_at() is None


def test_a_job_queued_outside_a_request_gets_an_id_of_its_own(tmp_path):
    huey = SecureSqliteHuey("rapport-envelope-own", filename=str(tmp_path / "queue.sqlite3"))
    seen: list[str] = []

    @huey.task()
    def note_request_id():
        seen.append(logs.request_id.get())

    note_request_id()
    huey.execute(huey.dequeue())

    assert len(seen) == 1
    assert len(seen[0]) == 16


def test_a_job_that_raises_is_counted(tmp_path):
    huey = SecureSqliteHuey("rapport-envelope-fail", filename=str(tmp_path / "queue.sqlite3"))

    @huey.task(name="ops.always_fails")
    def always_fails():
        raise ValueError("broken")

    before = REGISTRY.get_sample_value("rapport_job_failures_total", {"job": "ops.always_fails"}) or 0.0
    always_fails()
    huey.execute(huey.dequeue())

    assert REGISTRY.get_sample_value("rapport_job_failures_total", {"job": "ops.always_fails"}) == before + 1
