"""``rapport mail import PATH``: an .eml file, an mbox or a Maildir, streamed, idempotent."""

# ruff: noqa: RUF001 - the en dashes are what the customers wrote
from __future__ import annotations

import tracemalloc

import pytest

from rapport.cases.models import Case
from rapport.cli import main
from rapport.mail.models import MailMessage, OutboxEmail
from rapport.mail.sources import read_messages
from tests.mail.conftest import build, corpus

pytestmark = pytest.mark.django_db


def write_mbox(path, messages):
    with path.open("wb") as handle:
        for raw in messages:
            handle.write(b"From MAILER-DAEMON Mon Mar  2 10:00:00 2026\n")
            body = raw.replace(b"\r\n", b"\n")
            handle.write(b"\n".join(b">" + line if line.startswith(b"From ") else line for line in body.split(b"\n")))
            handle.write(b"\n\n")


def test_importing_an_eml_file(tmp_path, capsys):
    path = tmp_path / "one.eml"
    path.write_bytes(corpus("quoted_printable.eml"))

    assert main(["mail", "import", str(path)]) == 0

    assert "1 message: 1 new case (took" in capsys.readouterr().out
    assert Case.objects.get().subject == "Refund – café voucher"
    assert OutboxEmail.objects.count() == 0  # archives are not acknowledged unless asked


def test_importing_an_mbox_twice_files_each_message_once(tmp_path, capsys):
    path = tmp_path / "archive.mbox"
    messages = [
        build(
            message_id="<a1@example.net>",
            body="From my point of view the parcel is lost.\nFrom here on, please refund.",
        ),
        build(message_id="<a2@example.net>", in_reply_to="<a1@example.net>", body="Any news?"),
        build(sender="bob@example.org", message_id="<b1@example.org>"),
    ]
    write_mbox(path, messages)

    assert main(["mail", "import", str(path)]) == 0
    assert main(["mail", "import", str(path)]) == 0

    out = capsys.readouterr().out
    assert "3 messages: 1 added to a case, 2 new cases (took" in out
    assert "3 messages: 3 already filed (took" in out
    assert Case.objects.count() == 2
    assert MailMessage.objects.count() == 3
    first = MailMessage.objects.get(key="a1@example.net").message
    assert first.body.startswith("From my point of view")
    assert "\nFrom here on" in first.body


def test_importing_a_maildir(tmp_path, capsys):
    for sub in ("new", "cur", "tmp"):
        (tmp_path / "Maildir" / sub).mkdir(parents=True)
    (tmp_path / "Maildir" / "new" / "1.host").write_bytes(build(message_id="<n1@example.net>"))
    (tmp_path / "Maildir" / "cur" / "2.host:2,S").write_bytes(corpus("windows_1252.eml"))
    (tmp_path / "Maildir" / "cur" / "3.host:2,S").write_bytes(corpus("no_sender.eml"))

    assert main(["mail", "import", str(tmp_path / "Maildir"), "--acknowledge"]) == 0

    assert "3 messages: 2 new cases, 1 quarantined (took" in capsys.readouterr().out
    assert OutboxEmail.objects.count() == 2


def test_a_missing_path_is_a_one_line_error(tmp_path, capsys):
    assert main(["mail", "import", str(tmp_path / "nope.mbox")]) != 0
    assert "does not exist" in capsys.readouterr().err


def test_reading_an_mbox_streams_memory_does_not_grow_with_the_file(tmp_path):
    path = tmp_path / "big.mbox"
    message = build(body="Hello\n" * 2000)  # about 12 KB
    with path.open("wb") as handle:
        for i in range(4000):  # about 50 MB
            handle.write(b"From x Mon Mar  2 10:00:00 2026\n" + message.replace(b"<m1@", f"<m{i}@".encode()) + b"\n")
    assert path.stat().st_size > 45 * 1024 * 1024

    tracemalloc.start()
    count = sum(1 for _ in read_messages(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert count == 4000
    assert peak < 8 * 1024 * 1024  # a few one-megabyte reads, never the 50 MB file
