"""The web server's settings: one single-threaded process per core unless told otherwise, and on
SQLite, checkpoints moved off the request path in every web process."""

from __future__ import annotations

import importlib

import pytest

from rapport.platform import gunicorn_conf
from rapport.platform.dbbackends.sqlite import base as sqlite_base


def load(monkeypatch, **env: str):
    for name in ("WEB_CONCURRENCY", "RAPPORT_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_conf)


@pytest.fixture(autouse=True)
def _reload_after(monkeypatch):
    yield
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)


def cores(monkeypatch, n: int) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(n)))
    monkeypatch.setattr("os.cpu_count", lambda: 64)  # the host's count, which a container may not have


def test_one_single_threaded_process_per_core_by_default(monkeypatch):
    cores(monkeypatch, 4)
    conf = load(monkeypatch)
    assert (conf.workers, conf.threads, conf.worker_class) == (4, 1, "sync")


def test_at_least_two_processes_so_one_slow_request_never_stops_the_desk(monkeypatch):
    cores(monkeypatch, 1)
    assert load(monkeypatch).workers == 2


def test_at_most_eight_where_the_one_writer_is_the_limit(monkeypatch):
    cores(monkeypatch, 32)
    assert load(monkeypatch).workers == 8


def test_threads_switch_to_threaded_workers(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="3", RAPPORT_THREADS="4")
    assert (conf.workers, conf.threads, conf.worker_class) == (3, 4, "gthread")


def test_each_web_process_checkpoints_a_sqlite_file_in_the_background(monkeypatch, tmp_path):
    started: list[str] = []
    monkeypatch.setattr(sqlite_base, "checkpoint_in_background", lambda path: started.append(path) or True)
    path = str(tmp_path / "desk.sqlite3")

    assert gunicorn_conf.checkpoint_off_requests({"ENGINE": "rapport.platform.dbbackends.sqlite", "NAME": path})
    assert not gunicorn_conf.checkpoint_off_requests({"ENGINE": "django.db.backends.postgresql", "NAME": "desk"})
    assert started == [path]


def test_the_worker_hook_starts_it_for_the_configured_database(monkeypatch):
    seen: list[dict] = []
    monkeypatch.setattr(gunicorn_conf, "checkpoint_off_requests", seen.append)
    monkeypatch.setattr("gc.freeze", lambda: None)
    gunicorn_conf.post_worker_init(object())
    assert [d["ENGINE"] for d in seen] == [connections_engine()]


def connections_engine() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"]


def test_workers_fork_from_a_master_with_every_template_compiled(monkeypatch):
    from django.template import engines

    assert gunicorn_conf.preload_app is True
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    closed: list[bool] = []
    monkeypatch.setattr("django.db.connections.close_all", lambda: closed.append(True))

    gunicorn_conf.when_ready(object())

    names = set(loader.get_template_cache)
    assert {"cases/case.html", "web/desk.html", "web/queue.html", "complaints/_panel.html"} <= names
    assert closed == [True]  # a forked worker opens its own database connection


def test_warming_counts_what_it_compiled():
    assert gunicorn_conf.warm_templates() > 100
