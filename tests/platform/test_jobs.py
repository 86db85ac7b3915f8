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
