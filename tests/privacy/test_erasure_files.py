"""After an erasure completes, no file under the data directory holds the person: not the SQLite
database, its write-ahead log, the job queue or uploads (UK GDPR Art 17).

A real SQLite file, a real Huey queue file and real uploads, in a separate process with its own data
directory: the in-memory test database has no files to look at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# What identifies the person, lower-cased (the full-text index stores lower-cased terms).
NEEDLES = [b"vantablack", b"oriel.vantablack@example.net", b"900123", b"zanzibarquist"]

SCRIPT = """
import sys
import django
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from rapport.accounts.models import User
from rapport.cases.services import Upload, case_create, message_add
from rapport.customers.services import customer_create
from rapport.privacy.erasure import customer_erase
from rapport.privacy.models import Erasure

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
manager = User.objects.create_user(email="manager@example.org", name="Morgan Lead", role="manager")
agent = User.objects.create_user(email="agent@example.org", name="Sam Agent", role="agent")
now = timezone.now() - timedelta(days=3)
customer = customer_create(
    actor=agent, name="Oriel Vantablack", email="oriel.vantablack@example.net", phone="07700 900123",
    notes="Prefers a call back from Zanzibarquist team", now=now,
)
for n in range(30):  # enough pages that the index has several segments
    case = case_create(
        actor=agent, customer=customer, subject=f"Order {n} for Oriel Vantablack",
        body=f"Hello, this is Oriel Vantablack (07700 900123) about order {n}.", channel="email", now=now,
        attachments=[Upload("letter.txt", b"From Oriel Vantablack, oriel.vantablack@example.net")] if n == 0 else [],
    )
    reply = "Dear Oriel Vantablack, thank you."
    message_add(actor=agent, reference=case.reference, kind="outbound", body=reply, now=now)
    message_add(actor=agent, reference=case.reference, kind="note", body="Asked to call back.", now=now)

def work():  # what a worker does: take each queued job and run it
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)


work()  # the replies went out before the person asked to be erased
erasure = customer_erase(actor=manager, customer_id=customer.pk)
assert Erasure.objects.get(pk=erasure.pk).status == "clearing_files", "complete only after the files"
work()
assert Erasure.objects.get(pk=erasure.pk).status == "done"
# Stay up with the connections open, as a running server does: a clean shutdown would checkpoint
# the log and hide what a live system leaves in it.
print("erased", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own files (PostgreSQL keeps no WAL here)")
def test_an_erased_person_is_in_no_file_under_the_data_directory(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RAPPORT_DATA_DIR": str(tmp_path),
        "RAPPORT_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line == "erased\n", process.stderr.read()[-3000:] if process.poll() is not None else line
        # given the erasure is complete and the process still running, when every file is read
        contents = {p: p.read_bytes().lower() for p in tmp_path.rglob("*") if p.is_file()}
    finally:
        process.communicate("\n", timeout=60)
    # then none holds the person (the database, its -wal log, the queue file and the uploads among them)
    assert {"rapport.sqlite3", "rapport.sqlite3-wal", "huey.sqlite3"} <= {p.name for p in contents}
    found = {(str(p.relative_to(tmp_path)), n.decode()) for p, data in contents.items() for n in NEEDLES if n in data}
    assert found == set()
