"""Product files (attachments, letters, raw email, exports) live only in Django storage, so another
store (S3-compatible, through django-storages) is a setting, not a code change (ADR 0011)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.test import Client

from rapport.cases.services import Upload, message_add
from rapport.privacy.erasure import erase_files
from rapport.privacy.exports import customer_export

SRC = Path(__file__).resolve().parents[2] / "src" / "rapport"
PDF = b"%PDF-1.4 the customer's receipt"

# Reading or writing local files directly. Product files use a storage (``default_storage``, a
# FileField's ``.file.open()``), so those calls are not matched, and nor is a zip archive's entry
# written in memory (``bundle.open(``).
LOCAL_FILES = re.compile(
    r"\bopen\(|write_bytes|write_text|read_bytes|read_text|MEDIA_ROOT|DATA_DIR|os\.path|shutil|tempfile"
    r"|\bPath\(|os\.open|os\.scandir|rglob|iterdir"
)
THROUGH_STORAGE = re.compile(r"\.file\.open\(|\.raw\.open\(|storage\.open\(|bundle\.open\(")

# The only modules that touch the local disk, and why none of it is a product file.
ALLOWED = {
    "settings.py": "where the database, Huey's queue and collected static files live on one host",
    "cli.py": "tells the demo's child processes which data directory the database is in",
    "platform/dbbackends/sqlite/base.py": "SQLite's write-lock file beside the database file",
    "platform/gunicorn_conf.py": "compiles the templates shipped with the code at start-up",
    "platform/pdf.py": "the fonts installed on the system, read to print letters",
    "platform/envconf.py": "the demo's own secret key, kept in a file beside its database",
    "platform/backup.py": "`rapport backup DEST` / `restore SRC`: the operator's backup folder, read and written"
    " beside the store (every product file still goes in and out through storage)",
    "privacy/erasure.py": "deletes the copies Django's file email backend leaves on a demo machine",
    "mail/commands.py": "`rapport mail import PATH`: the operator's own mbox or Maildir",
    "mail/sources.py": "streams that operator's mbox or Maildir; each message is then stored through storage",
    "feedback/commands.py": "`rapport feedback import PATH`: the operator's own CSV file",
    "learning/commands.py": "`rapport learning import PATH`: the operator's own unit files",
    "learning/sources.py": "the learning units shipped beside the code",
    "learning/demo.py": "the demo unit shipped beside the code",
    "web/exports.py": "a large export is spooled to an anonymous temporary file, then saved through storage",
    "imports/commands.py": "`rapport import zendesk|freshdesk|csv PATH`: the operator's own export folder",
    "imports/sources.py": "streams that export's files, or an uploaded one unpacked into a temporary folder",
    "imports/services.py": "an upload is read from storage and unpacked into a temporary folder, removed after the run",
    "imports/demo.py": "the demo writes a small Zendesk export to a temporary folder and dry-runs it",
}


def _local_file_users() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if "/migrations/" in name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LOCAL_FILES.search(THROUGH_STORAGE.sub("", line)):
                found.setdefault(name, []).append(f"{number}: {line.strip()}")
    return found


def test_only_the_listed_modules_touch_local_files():
    found = _local_file_users()

    unexpected = {name: lines for name, lines in found.items() if name not in ALLOWED}
    assert not unexpected, "use django.core.files.storage for product files:\n" + "\n".join(
        f"{name}:{line}" for name, lines in unexpected.items() for line in lines
    )
    assert set(ALLOWED) <= set(found), f"no longer touch local files, remove them here: {set(ALLOWED) - set(found)}"


@pytest.fixture
def memory_storage(settings, tmp_path):
    """Files in a store that is not the local disk, as an S3 bucket would be."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    yield default_storage
    # nothing reached the local upload folder
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


@pytest.mark.django_db(transaction=True)
def test_attachments_are_stored_served_exported_and_erased_through_storage(
    memory_storage, case, customer, customer_user, team_leader, now
):
    # given a customer's file on their case
    message = message_add(
        actor=customer_user,
        reference=case.reference,
        kind="inbound",
        body="Receipt attached.",
        attachments=[Upload("receipt.pdf", PDF)],
        now=now,
    )
    attachment = message.attachments.get()

    # then it is in the configured store, not on the disk
    assert isinstance(memory_storage._wrapped, InMemoryStorage)
    assert memory_storage.exists(attachment.file.name)

    # and the customer downloads it from there
    client = Client()
    client.force_login(customer_user)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF

    # and the subject access bundle carries it
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert PDF in [archive.read(name) for name in archive.namelist()]

    # and erasure deletes it from the store
    erase_files(type(attachment).objects.filter(pk=attachment.pk))
    assert not memory_storage.exists(attachment.file.name)
