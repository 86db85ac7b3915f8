"""Importing again adds nothing; an import stopped half-way resumes; a dry run writes nothing and
says what it would do."""

from __future__ import annotations

import pytest

from rapport.accounts.models import User
from rapport.cases.models import Attachment, Case, CaseEvent, Message, SearchDocument
from rapport.customers.models import Customer
from rapport.imports.models import ImportedCaseData, ImportedRecord
from rapport.imports.services import ImportStopped, import_run

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "customers": Customer.objects.count(),
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
        "events": CaseEvent.objects.count(),
        "documents": SearchDocument.objects.count(),
        "attachments": Attachment.objects.count(),
        "data": ImportedCaseData.objects.count(),
        "records": ImportedRecord.objects.count(),
    }


@pytest.mark.parametrize("source", ["zendesk", "freshdesk", "csv"])
def test_importing_again_adds_nothing(agent, fixtures, now, source):
    import_run(source=source, path=fixtures / source, now=now)
    before = _counts()
    again = import_run(source=source, path=fixtures / source, now=now)
    assert _counts() == before
    assert again.created["cases"] == 0
    assert again.skipped["cases"] == before["cases"]
    assert again.created["messages"] == again.created["notes"] == 0


def test_every_imported_row_keeps_its_source_id(agent, fixtures, now):
    import_run(source="zendesk", path=fixtures / "zendesk", now=now)
    kinds = set(ImportedRecord.objects.values_list("kind", flat=True))
    assert kinds == {"organisation", "person", "staff", "ticket", "comment", "attachment"}
    assert ImportedRecord.objects.filter(kind="ticket").count() == Case.objects.count()
    # Every message but ticket 104's opening description (a field of the ticket, not a comment).
    assert ImportedRecord.objects.filter(kind="comment").count() == Message.objects.count() - 1
    assert ImportedRecord.objects.filter(kind="attachment").count() == Attachment.objects.count()


def test_an_import_stopped_between_batches_resumes_where_it_stopped(agent, fixtures, now):
    """Batches of two tickets; the import dies after its second batch of tickets. Running it again
    imports the rest, and the result is the same as an import that never stopped."""
    seen = []

    def die_after_two(stage: str, done: int) -> None:
        seen.append((stage, done))
        if stage == "tickets" and done >= 4:
            raise ImportStopped

    with pytest.raises(ImportStopped):
        import_run(source="zendesk", path=fixtures / "zendesk", now=now, batch=2, progress=die_after_two)
    partial = Case.objects.count()
    assert 0 < partial < 6
    resumed = import_run(source="zendesk", path=fixtures / "zendesk", now=now, batch=2)
    assert resumed.skipped["cases"] == partial
    after = _counts()

    Case.objects.update(merged_into=None)
    Case.objects.all().delete()  # then the same export in one go, on an empty desk
    Customer.objects.all().delete()
    ImportedRecord.objects.all().delete()
    User.objects.exclude(pk=agent.pk).delete()
    import_run(source="zendesk", path=fixtures / "zendesk", now=now, batch=2)
    whole = _counts()
    assert {k: after[k] for k in ("cases", "messages", "customers", "attachments", "data", "records")} == {
        k: whole[k] for k in ("cases", "messages", "customers", "attachments", "data", "records")
    }


def test_a_failing_batch_leaves_nothing_of_itself(agent, fixtures, now, monkeypatch):
    from rapport.imports import services

    calls = {"n": 0}
    original = services._Importer._write_messages

    def fail_second(self, messages, documents):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(self, messages, documents)

    monkeypatch.setattr(services._Importer, "_write_messages", fail_second)
    with pytest.raises(RuntimeError):
        import_run(source="zendesk", path=fixtures / "zendesk", now=now, batch=2)
    # The first batch of two tickets is whole; nothing of the second is left.
    assert Case.objects.count() == 2
    assert ImportedRecord.objects.filter(kind="ticket").count() == 2
    assert (
        Message.objects.filter(case__in=Case.objects.all()).count()
        == ImportedRecord.objects.filter(kind="comment").count()
    )


@pytest.mark.parametrize("source", ["zendesk", "freshdesk", "csv"])
def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_creates(agent, fixtures, now, source, file_server):
    base, asked = file_server
    before = _counts()
    dry = import_run(source=source, path=fixtures / source, now=now, dry_run=True, attachments_base=base)
    assert _counts() == before
    assert asked == []  # nothing fetched either
    assert dry.dry_run
    real = import_run(source=source, path=fixtures / source, now=now, attachments_base=base)
    for what in ("cases", "customers", "staff", "organisations", "messages", "notes", "ratings"):
        assert dry.created[what] == real.created[what], what
    for kind in (
        "unknown_status",
        "unknown_channel",
        "deleted_ticket",
        "missing_requester",
        "unlabelled_field",
        "orphan_comment",
    ):
        assert dry.issues[kind] == real.issues[kind], kind
    assert "Would create" in dry.describe()


def test_a_dry_run_after_an_import_says_everything_is_there(agent, fixtures, now):
    import_run(source="zendesk", path=fixtures / "zendesk", now=now)
    dry = import_run(source="zendesk", path=fixtures / "zendesk", now=now, dry_run=True)
    assert dry.created["cases"] == 0
    assert dry.skipped["cases"] == Case.objects.count()


def test_new_comments_on_a_ticket_already_imported_are_added(agent, fixtures, now, tmp_path):
    import json
    import shutil

    folder = tmp_path / "export"
    shutil.copytree(fixtures / "zendesk", folder)
    import_run(source="zendesk", path=folder, now=now)
    lines = [json.loads(line) for line in (folder / "tickets.jsonl").read_text().splitlines()]
    lines[0]["comments"].append(
        {
            "id": 70099,
            "author_id": 1001,
            "public": True,
            "body": "One more thing.",
            "created_at": "2026-06-05T09:00:00Z",
        }
    )
    (folder / "tickets.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    before = Message.objects.count()
    again = import_run(source="zendesk", path=folder, now=now)
    assert Message.objects.count() == before + 1
    assert again.created["messages"] == 1
    assert again.created["cases"] == 0
