"""The admin's imports page (upload, run as a job, progress, report, CSV of issues), the case
page's panel, and ``rapport import`` on the command line."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapport.cases.models import Case
from rapport.imports.models import ImportedRecord, ImportRun
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.com", "admin")


def _zip(folder) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, f"export/{path.relative_to(folder)}")
    return out.getvalue()


def test_only_admins_see_the_imports_page(client, agent, admin_user):
    client.force_login(agent)
    assert client.get(reverse("imports:index")).status_code == 404
    client.force_login(admin_user)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert b"No imports yet." in page.content


def test_an_upload_runs_as_a_job_and_shows_its_report(
    client, admin_user, agent, fixtures, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("zendesk-export.zip", _zip(fixtures / "zendesk"), content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("imports:index"), {"source": "zendesk", "file": upload, "dry_run": ""})
    run = ImportRun.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("imports:detail", args=[run.pk])
    run.refresh_from_db()
    assert run.state == "finished"  # jobs run at once in the tests
    assert not run.upload  # the upload, with people's data in it, is deleted once read
    assert run.report["created"]["cases"] == 6
    assert Case.objects.count() == 6
    page = client.get(answer["Location"])
    assert b"What was imported" in page.content
    assert b"Deleted ticket" in page.content
    csv = client.get(answer["Location"] + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert b"deleted ticket" in csv.content


def test_a_dry_run_from_the_page_writes_nothing(client, admin_user, fixtures, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("tickets.csv", (fixtures / "csv" / "tickets.csv").read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:index"), {"source": "csv", "file": upload, "dry_run": "on"})
    run = ImportRun.objects.get()
    assert run.report["dry_run"] is True
    assert run.report["created"]["cases"] == 3
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"source": "zendesk", "name": "export.exe"}, "file", b"Upload a .zip"),
        ({"source": "zendesk", "name": "t.json", "attachments_base": "ftp://x"}, "attachments_base", b"http://"),
        ({"source": "jira", "name": "t.json"}, "source", b"Select a valid choice"),
    ],
)
def test_bad_input_is_a_form_message(client, admin_user, data, field, message):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(data.pop("name"), b"[]")
    answer = client.post(reverse("imports:index"), {**data, "file": upload})
    assert answer.status_code == 422
    assert message in answer.content
    assert not ImportRun.objects.exists()


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    from rapport.imports.services import unpack

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../evil.json", "[]")
        archive.writestr("tickets.json", "[]")
    out.seek(0)
    with pytest.raises(ValueError, match="outside"):
        unpack("zendesk", "x.zip", out, tmp_path)
    assert not (tmp_path.parent.parent / "evil.json").exists()


def test_the_list_of_imports_costs_the_same_whatever_its_length(client, admin_user, django_assert_max_num_queries, now):
    client.force_login(admin_user)
    for i in range(30):
        ImportRun.objects.create(
            source="zendesk", label=f"export-{i}", created_at=now, started_by=admin_user, state="finished"
        )
    with django_assert_max_num_queries(12):
        page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert b"Older imports" in page.content


def test_the_case_page_shows_the_imported_fields_and_rating(client, manager, agent, fixtures, now):
    from rapport.imports.services import import_run

    import_run(source="zendesk", path=fixtures / "zendesk", now=now)
    case = Case.objects.get(pk=ImportedRecord.objects.get(kind="ticket", source_id="101").object_id)
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert page.status_code == 200
    assert b"From Zendesk" in page.content
    assert b"ORD-55812" in page.content
    assert b"5 out of 5" in page.content
    assert b"Imported</span> from Zendesk ticket 101" in page.content
    complaint = Case.objects.get(pk=ImportedRecord.objects.get(kind="ticket", source_id="106").object_id)
    assert client.get(reverse("cases:detail", args=[complaint.reference])).status_code == 200
    pointer = Case.objects.get(pk=ImportedRecord.objects.get(kind="ticket", source_id="103").object_id)
    assert client.get(reverse("cases:detail", args=[pointer.reference])).status_code == 200


def test_rapport_import_on_the_command_line(agent, fixtures, capsys):
    from rapport.cli import main

    assert main(["import", "zendesk", str(fixtures / "zendesk"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would create" in out
    assert Case.objects.count() == 0
    assert main(["import", "freshdesk", str(fixtures / "freshdesk")]) == 0
    assert "Created" in capsys.readouterr().out
    assert Case.objects.count() == 4
    assert ImportRun.objects.filter(state="finished").count() == 2


def test_rapport_import_refuses_what_it_cannot_read(fixtures, tmp_path, capsys):
    from rapport.cli import main

    assert main(["import", "zendesk", str(tmp_path / "nowhere")]) == 2
    assert main(["import", "zendesk", str(tmp_path)]) == 2
    assert "has no tickets" in capsys.readouterr().err
    assert main(["import", "csv", str(fixtures / "csv"), "--timezone", "Mars/Olympus"]) == 2


def test_rapport_import_mail_is_the_mail_import(tmp_path, capsys, db):
    from rapport.cli import main

    message = tmp_path / "one.eml"
    message.write_bytes(
        b"From: Jo <jo@example.com>\r\nTo: help@rapport.example\r\nSubject: Hello\r\n"
        b"Message-ID: <1@x>\r\n\r\nHi there\r\n"
    )
    assert main(["import", "mail", str(message)]) == 0
    assert "new case" in capsys.readouterr().out
