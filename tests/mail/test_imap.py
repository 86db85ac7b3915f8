"""Inbound mail over a real IMAP server (dovecot on 127.0.0.1), including a worker killed mid-batch."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from rapport.cases.models import Case
from rapport.mail.imap import mailbox_poll
from rapport.mail.models import Mailbox, MailMessage
from tests.mail.conftest import build
from tests.mail.dovecot import PASSWORD, USER, Dovecot, require_dovecot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dovecot():
    require_dovecot()
    folder = Path(tempfile.mkdtemp(prefix="rapport-imap-"))
    folder.chmod(0o755)
    try:
        with Dovecot(folder) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def mailbox(db, dovecot, monkeypatch):
    monkeypatch.setenv("RAPPORT_TEST_IMAP_PASSWORD", PASSWORD)
    return Mailbox.objects.create(
        name="Support",
        address="support@rapport.example",
        host="127.0.0.1",
        port=dovecot.port,
        use_tls=False,
        username=USER,
        password_env="RAPPORT_TEST_IMAP_PASSWORD",
    )


def test_polling_files_new_mail_and_marks_it_seen(dovecot, mailbox, now):
    dovecot.deliver(
        build(message_id="<p1@example.net>"), build(sender="bob@example.org", message_id="<p2@example.net>")
    )

    result = mailbox_poll(mailbox=mailbox, now=now)

    assert (result.received, result.duplicates, result.error) == (2, 0, "")
    assert Case.objects.count() == 2
    assert dovecot.unseen() == 0
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at == now
    assert mailbox.last_error == ""
    assert mailbox_poll(mailbox=mailbox, now=now).received == 0


def test_mail_fetched_again_is_not_filed_twice(dovecot, mailbox, now):
    dovecot.deliver(build(message_id="<again@example.net>"))
    mailbox_poll(mailbox=mailbox, now=now)
    dovecot.deliver(build(message_id="<again@example.net>"))  # the same email delivered twice

    result = mailbox_poll(mailbox=mailbox, now=now)

    assert (result.received, result.duplicates) == (0, 1)
    assert MailMessage.objects.filter(outbound=False).count() == 1
    assert dovecot.unseen() == 0


def test_an_unreadable_message_is_quarantined_and_marked_seen(dovecot, mailbox, now):
    from rapport.mail.models import QuarantinedMail

    dovecot.deliver(b"To: support@rapport.example\r\nSubject: no sender\r\n\r\nHello\r\n")
    result = mailbox_poll(mailbox=mailbox, now=now)

    assert result.quarantined == 1
    assert QuarantinedMail.objects.get().mailbox == mailbox
    assert dovecot.unseen() == 0


def test_a_wrong_password_is_recorded_on_the_mailbox_and_nothing_is_lost(dovecot, mailbox, now, monkeypatch):
    monkeypatch.setenv("RAPPORT_TEST_IMAP_PASSWORD", "wrong")
    dovecot.deliver(build())

    result = mailbox_poll(mailbox=mailbox, now=now)

    mailbox.refresh_from_db()
    assert result.error
    assert mailbox.last_error == result.error
    assert Case.objects.count() == 0
    assert dovecot.unseen() == 1


def test_an_encrypted_password_is_used_when_there_is_no_environment_variable(dovecot, mailbox, now):
    from rapport.mail import credentials

    Mailbox.objects.filter(pk=mailbox.pk).update(password_env="", password_encrypted=credentials.encrypt(PASSWORD))
    mailbox.refresh_from_db()
    dovecot.deliver(build())

    assert mailbox_poll(mailbox=mailbox, now=now).received == 1
    assert PASSWORD not in mailbox.password_encrypted


def _worker(env: dict[str, str], port: int, delay: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.mail.imap_worker", str(port), str(delay)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _inbound_keys(database: Path) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT key FROM mail_mailmessage WHERE outbound = 0")]


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(dovecot, tmp_path):
    """Six emails; the worker is killed (SIGKILL) after some are filed, one of them committed but not
    yet marked seen. A second worker files the rest: six messages, each once."""
    database = tmp_path / "crash.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "RAPPORT_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "RAPPORT_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "rapport.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    emails = [build(sender=f"customer{i}@example.net", message_id=f"<crash{i}@example.net>") for i in range(6)]
    dovecot.deliver(*emails)

    worker = _worker(env, dovecot.port, delay=2.0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_inbound_keys(database)) < 2:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    filed = len(_inbound_keys(database))
    assert 2 <= filed < 6
    assert dovecot.unseen() == 6 - filed + 1  # the last filed one was never marked seen

    rerun = _worker(env, dovecot.port, delay=0)
    output = rerun.communicate(timeout=120)[0].decode()
    assert rerun.returncode == 0, output

    keys = _inbound_keys(database)
    assert sorted(keys) == sorted(f"crash{i}@example.net" for i in range(6))
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0] == 6
        assert conn.execute("SELECT COUNT(*) FROM cases_message WHERE kind = 'inbound'").fetchone()[0] == 6
    assert dovecot.unseen() == 0
    assert "duplicates=1" in output


def test_rapport_mail_poll_fetches_every_active_mailbox(dovecot, mailbox, capsys):
    from rapport.cli import main

    dovecot.deliver(build(message_id="<cli@example.net>"))

    assert main(["mail", "poll"]) == 0

    assert "Support: 1 message filed, 0 already had, 0 quarantined" in capsys.readouterr().out
    assert Case.objects.count() == 1
