"""Background jobs: the outbox job runs through Huey on Redis and on SQLite storage alike, and the
periodic jobs are declared in code."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY

from rapport.mail import tasks
from rapport.mail.models import OutboxEmail, OutboxState
from rapport.mail.outbound import outbox_queue

pytestmark = pytest.mark.django_db


def _redis_huey():
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return RedisHuey(f"rapport-test-{uuid.uuid4().hex}", url=url)


def _sqlite_huey(tmp_path):
    return SqliteHuey("rapport-test", filename=str(tmp_path / "huey.sqlite3"))


@pytest.mark.parametrize("storage", ["redis", "sqlite"])
def test_the_send_job_goes_through_the_queue_and_sends_once(storage, tmp_path, now, mailoutbox):
    huey = _redis_huey() if storage == "redis" else _sqlite_huey(tmp_path)
    send = huey.task()(tasks.outbox_send_task.func)
    email = outbox_queue(to=["agent@example.com"], subject="Reminder", text="Case due.", now=now - timedelta(minutes=1))
    try:
        send(email.pk)
        send(email.pk)  # queued twice (a retry racing the periodic flush)
        assert huey.pending_count() == 2
        for _ in range(2):
            huey.execute(huey.dequeue())
        assert huey.pending_count() == 0
    finally:
        huey.storage.flush_all()

    email.refresh_from_db()
    assert email.state == OutboxState.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Reminder"


def test_mail_polling_and_the_outbox_flush_are_periodic_jobs():
    periodic = {task.name for task in HUEY._registry.periodic_tasks}
    assert {"mailboxes_poll", "outbox_flush"} <= {name.rsplit(".", 1)[-1] for name in periodic}


def test_the_flush_sends_what_is_due(now, mailoutbox):
    email = outbox_queue(to=["agent@example.com"], subject="Due", text="Now.", now=now - timedelta(days=1))
    OutboxEmail.objects.create(
        to="later@example.com",
        subject="Later",
        text="x",
        message_id_header="later@x",
        next_attempt_at=now + timedelta(days=365 * 50),
        created_at=now,
    )

    assert tasks.outbox_flush.call_local() == 1

    email.refresh_from_db()
    assert email.state == OutboxState.SENT
    assert [m.subject for m in mailoutbox] == ["Due"]
