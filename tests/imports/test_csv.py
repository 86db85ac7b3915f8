"""Importing a CSV of tickets (and comments.csv beside it): columns by name, other columns kept
as labelled fields, day-first local times read in the desk's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rapport.accounts.models import User
from rapport.cases.models import Attachment, Case, Message
from rapport.customers.models import Customer
from rapport.imports.models import ImportedCaseData, ImportedRecord
from rapport.imports.services import import_run

pytestmark = pytest.mark.django_db


def _case(source_id: str) -> Case:
    return Case.objects.get(pk=ImportedRecord.objects.get(source="csv", kind="ticket", source_id=source_id).object_id)


@pytest.fixture
def imported(agent, fixtures, now):
    return import_run(source="csv", path=fixtures / "csv" / "tickets.csv", now=now)


def test_rows_map_to_cases(imported, agent):
    case = _case("C-1")
    assert (case.status, case.priority, case.type, case.channel) == ("resolved", 3, "request", "phone")
    assert case.owner_id == agent.pk
    assert case.created_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # GMT in March
    assert sorted(case.tags.values_list("name", flat=True)) == ["boiler", "service"]
    second = _case("C-2")
    assert (second.status, second.type, second.channel) == ("waiting_on_third_party", "complaint", "letter")
    # 01:30 on 29 March 2026 does not exist in London (the clocks go forward): read at the earlier offset.
    assert second.created_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_people_organisations_and_staff_from_the_rows(imported):
    ravi = Customer.objects.get(email="ravi.patel@example.co.uk")
    assert ravi.organisation == "Patel Pharmacy"
    assert Customer.objects.get(name="Patel Pharmacy").kind == "company"
    sam = User.objects.get(email="sam.lee@rapport.example")
    assert (sam.name, sam.is_active) == ("Sam Lee", False)


def test_other_columns_are_labelled_fields_and_satisfaction_a_rating(imported):
    data = ImportedCaseData.objects.get(case=_case("C-1"))
    assert data.fields == [["Order number", "ORD-1001"], ["Store", "Salford"]]
    assert (data.rating_score, data.rating_comment) == (5, "Lovely engineer")


def test_comments_notes_and_attachments(imported, agent):
    kinds = list(Message.objects.filter(case=_case("C-1")).order_by("created_at").values_list("kind", "author_id"))
    assert kinds == [("inbound", None), ("outbound", agent.pk), ("note", agent.pk)]
    assert Attachment.objects.get().filename == "letter.txt"
    assert imported.issues["attachment_missing"] == 1
    assert imported.issues["orphan_comment"] == 1


def test_rows_that_cannot_be_mapped_are_reported(imported):
    assert imported.issues["missing_id"] == 1
    assert imported.issues["missing_time"] == 1
    assert imported.issues["unknown_status"] == 1
    assert imported.issues["unknown_channel"] == 1
    assert imported.issues["unknown_rating"] == 1
    assert _case("C-3").status == "open"
