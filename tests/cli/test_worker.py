"""`rapport worker` runs Huey's consumer with or without the scheduler of periodic jobs."""

from __future__ import annotations

import pytest
from huey.consumer import Consumer

from rapport.cli import main


@pytest.mark.parametrize(("flags", "scheduler"), [([], True), (["--scheduler"], True), (["--no-scheduler"], False)])
def test_the_worker_runs_the_scheduler_unless_told_not_to(monkeypatch, flags, scheduler):
    started = []
    monkeypatch.setattr(
        Consumer, "run", lambda consumer: started.append((consumer.periodic, len(consumer.worker_threads)))
    )

    assert main(["worker", "--workers", "3", *flags]) == 0

    assert started == [(scheduler, 3)]
