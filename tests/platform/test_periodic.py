"""Every periodic job does its work once per period, however many workers run it at once."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from rapport.platform import periodic
from rapport.platform.dbbackends.sqlite.base import DatabaseWrapper
from rapport.platform.models import PeriodicRun

BST = timezone.get_fixed_timezone(60)


@pytest.mark.parametrize(
    ("at", "every", "start"),
    [
        (datetime(2026, 3, 2, 10, 7, 42, tzinfo=UTC), periodic.MINUTE, datetime(2026, 3, 2, 10, 7, tzinfo=UTC)),
        (datetime(2026, 3, 2, 10, 7, 42, tzinfo=UTC), 5 * periodic.MINUTE, datetime(2026, 3, 2, 10, 5, tzinfo=UTC)),
        (datetime(2026, 3, 2, 10, 7, 42, tzinfo=UTC), periodic.HOUR, datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC), periodic.DAY, datetime(2026, 3, 2, tzinfo=UTC)),
        # British Summer Time: the period is the UTC day Huey's crontab was matched in
        (datetime(2026, 7, 1, 0, 30, tzinfo=BST), periodic.DAY, datetime(2026, 6, 30, tzinfo=UTC)),
    ],
)
def test_a_period_starts_on_its_boundary(at, every, start):
    assert periodic.period_start(at, every) == start


def test_every_periodic_task_claims_its_period():
    # given every tasks.py loaded (as the worker loads them)
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    registered = {HUEY._registry.task_to_string(task) for task in HUEY._registry._periodic_tasks}

    # then each of Huey's periodic tasks was declared with periodic_job
    assert registered
    assert registered <= set(periodic.jobs), registered - set(periodic.jobs)


@pytest.mark.django_db
def test_a_second_run_in_the_same_period_does_nothing(monkeypatch):
    done = []
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 2, 7, 0, 3, tzinfo=UTC))

    first = periodic.run_once_per_period("tests.daily", periodic.DAY, lambda: done.append(1) or len(done))
    second = periodic.run_once_per_period("tests.daily", periodic.DAY, lambda: done.append(1) or len(done))

    assert (first, second, done) == (1, None, [1])
    run = PeriodicRun.objects.get()
    assert (run.job, run.period_start, run.outcome) == ("tests.daily", datetime(2026, 3, 2, tzinfo=UTC), "1")
    assert run.finished_at is not None


@pytest.mark.django_db
def test_the_next_period_runs_again_and_old_claims_are_pruned(monkeypatch):
    clock = [datetime(2026, 1, 1, 7, tzinfo=UTC)]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    periodic.run_once_per_period("tests.daily", periodic.DAY, lambda: "a")
    clock[0] += timedelta(days=1)
    assert periodic.run_once_per_period("tests.daily", periodic.DAY, lambda: "b") == "b"
    clock[0] += periodic.KEEP + timedelta(days=1)

    periodic.run_once_per_period("tests.daily", periodic.DAY, lambda: "c")

    assert list(PeriodicRun.objects.order_by("period_start").values_list("outcome", flat=True)) == ["'c'"]


@pytest.mark.django_db
def test_work_that_fails_gives_its_period_back_for_a_retry():
    def broken():
        raise RuntimeError("SMTP down")

    with pytest.raises(RuntimeError):
        periodic.run_once_per_period("tests.flaky", periodic.MINUTE, broken)

    assert not PeriodicRun.objects.exists()
    assert periodic.run_once_per_period("tests.flaky", periodic.MINUTE, lambda: "sent") == "sent"


def _file_copy_of_the_test_database(path: str) -> dict:
    """SQLite's test database lives in memory, where threads share one cache and its table locks;
    the product runs on a file with WAL and a write lock. Copy the migrated schema to a file and
    give each thread its own connection to it, as separate workers have."""
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": path}


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_period_at_once_do_the_work_once(tmp_path):
    # given two workers whose schedulers enqueued the same daily job
    sqlite = connection.vendor == "sqlite"
    file_settings = _file_copy_of_the_test_database(str(tmp_path / "db.sqlite3")) if sqlite else None
    done: list[str] = []
    results: list[object] = []
    errors: list[BaseException] = []
    both_ready = threading.Barrier(2)

    def work() -> int:
        done.append(threading.current_thread().name)
        return len(done)

    def worker() -> None:
        if file_settings is not None:
            connections["default"] = DatabaseWrapper(file_settings, alias="default")
        try:
            both_ready.wait()
            results.append(periodic.run_once_per_period("tests.warnings", periodic.DAY, work))
        except BaseException as error:  # reported below rather than lost in the thread
            errors.append(error)
        finally:
            connections["default"].close()

    # when both run it at the same moment
    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one did the work and the other found the period taken
    assert errors == []
    assert len(done) == 1
    assert sorted(results, key=repr) == sorted([1, None], key=repr)
    if file_settings is not None:
        with sqlite3.connect(file_settings["NAME"]) as db:
            assert db.execute("SELECT count(*) FROM platform_periodicrun").fetchone() == (1,)
    else:
        assert PeriodicRun.objects.count() == 1
