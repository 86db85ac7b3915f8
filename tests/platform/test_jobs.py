"""Jobs asked for by name: services queue work without importing the tasks that run them."""

from __future__ import annotations

import pytest

from rapport.platform import jobs


def test_every_job_a_service_asks_for_is_registered_by_its_app():
    from rapport.feedback.services import DISPATCH_NOW_JOB
    from rapport.mail.outbound import OUTBOX_SEND_JOB

    assert {DISPATCH_NOW_JOB, OUTBOX_SEND_JOB} <= set(jobs._jobs)


def test_a_job_runs_with_its_arguments(monkeypatch):
    ran = []
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.register("test.job", lambda *args: ran.append(args))
    jobs.enqueue("test.job", 1, "two")
    assert ran == [(1, "two")]


def test_an_unknown_job_is_refused_not_dropped(monkeypatch):
    monkeypatch.setattr(jobs, "_jobs", {})
    with pytest.raises(LookupError, match=r"'nobody\.registered'"):
        jobs.enqueue("nobody.registered")


def test_two_jobs_cannot_share_a_name(monkeypatch):
    monkeypatch.setattr(jobs, "_jobs", {})

    def first() -> None: ...

    def second() -> None: ...

    jobs.register("test.job", first)
    jobs.register("test.job", first)  # registering the same job again (a reloaded app) is harmless
    with pytest.raises(ValueError, match="already registered"):
        jobs.register("test.job", second)


class _Queued:
    """A queued task as huey makes it: called, it runs now; ``schedule`` queues it for later."""

    def __init__(self) -> None:
        self.ran: list[tuple[object, ...]] = []
        self.scheduled: list[tuple[tuple[object, ...], float]] = []

    def __call__(self, *args: object) -> None:
        self.ran.append(args)

    def schedule(self, *, args: tuple[object, ...], delay: float) -> None:
        self.scheduled.append((args, delay))


def test_a_coalesced_job_is_queued_once_for_every_caller_before_it_starts(monkeypatch):
    task, now = _Queued(), [100.0]
    monkeypatch.setattr(jobs, "_jobs", {"cases.journal_deliver": task})
    monkeypatch.setattr(jobs, "_due", {})
    monkeypatch.setattr(jobs, "_immediate", lambda: False)

    def ask(subscriber: str) -> None:
        jobs.enqueue_coalesced("cases.journal_deliver", subscriber, within=1.0, clock=lambda: now[0])

    ask("notifications.message")
    now[0] = 100.4
    ask("notifications.message")  # served by the run queued at 100.0, which starts at 101.0
    ask("notifications.note")  # another subscriber: its own run
    now[0] = 100.6
    ask("notifications.message")  # the queued run starts within the margin (half the wait): queue again
    assert task.scheduled == [
        (("notifications.message",), 1.0),
        (("notifications.note",), 1.0),
        (("notifications.message",), 1.0),
    ]
    assert task.ran == []


def test_a_coalesced_job_runs_at_once_when_jobs_run_in_process(monkeypatch):
    task = _Queued()
    monkeypatch.setattr(jobs, "_jobs", {"cases.journal_deliver": task})
    monkeypatch.setattr(jobs, "_immediate", lambda: True)  # huey's immediate mode (the tests without Redis)
    jobs.enqueue_coalesced("cases.journal_deliver", "notifications.message")
    assert task.ran == [("notifications.message",)]
    assert task.scheduled == []
    with pytest.raises(LookupError):
        jobs.enqueue_coalesced("nobody.registered")
