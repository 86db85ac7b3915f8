"""Importing Freshdesk's API JSON: tickets with conversations and stats, contacts, agents,
companies, ticket fields, conversations and satisfaction ratings in files of their own."""

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
    return Case.objects.get(
        pk=ImportedRecord.objects.get(source="freshdesk", kind="ticket", source_id=source_id).object_id
    )


@pytest.fixture
def imported(agent, manager, fixtures, now):
    return import_run(source="freshdesk", path=fixtures / "freshdesk", now=now)


def test_companies_contacts_and_agents(imported, manager):
    assert Customer.objects.get(name="Brightwater Dental Practice").kind == "company"
    siobhan = Customer.objects.get(email="siobhan@brightwater.example")
    assert siobhan.organisation == "Brightwater Dental Practice"
    assert Customer.objects.get(email="dafydd.evans@example.co.uk").phone == "07700 900456"
    assert ImportedRecord.objects.get(source="freshdesk", kind="staff", source_id="4002").object_id == manager.pk
    helen = User.objects.get(email="helen.ward@rapport.example")
    assert not helen.is_active


def test_ticket_mapping_with_stats(imported):
    case = _case("2001")
    assert (case.status, case.priority, case.type, case.channel) == ("resolved", 3, "request", "email")
    assert case.first_response_at == datetime(2026, 5, 5, 9, 30, tzinfo=UTC)
    assert case.resolved_at == datetime(2026, 5, 7, 15, 0, tzinfo=UTC)
    assert sorted(case.tags.values_list("name", flat=True)) == ["invoices", "vat"]


@pytest.mark.parametrize(
    ("ticket", "status", "priority", "kind", "channel"),
    [
        ("2002", "waiting_on_third_party", 4, "request", "chat"),
        ("2003", "closed", 2, "enquiry", "portal"),
        ("2005", "open", 2, "enquiry", "email"),
    ],
)
def test_statuses_priorities_types_and_sources(imported, ticket, status, priority, kind, channel):
    case = _case(ticket)
    assert (case.status, case.priority, case.type, case.channel) == (status, priority, kind, channel)


def test_the_description_opens_the_case_and_conversations_follow(imported, manager):
    messages = list(Message.objects.filter(case=_case("2001")).order_by("created_at"))
    assert [m.kind for m in messages] == ["inbound", "outbound", "note", "inbound"]
    assert messages[0].body == "Our invoice INV-2291 charges VAT at 20% on exempt treatment."
    assert "<b>INV-2291</b>" in messages[0].body_html
    assert "<img" not in messages[0].body_html
    assert messages[2].author_id == manager.pk
    assert messages[3].created_at == datetime(2026, 5, 7, 13, 0, tzinfo=UTC)  # +01:00 read as such


def test_custom_fields_are_labelled_from_the_ticket_fields(imported):
    data = ImportedCaseData.objects.get(case=_case("2001"))
    assert data.fields == [["Invoice number", "INV-2291"], ["Practice code", "LDS-3"]]


def test_satisfaction_ratings_from_their_own_file(imported):
    assert (ImportedCaseData.objects.get(case=_case("2001")).rating_score, "Sorted quickly") == (
        5,
        ImportedCaseData.objects.get(case=_case("2001")).rating_comment,
    )
    assert ImportedCaseData.objects.get(case=_case("2002")).rating_score == 2
    assert imported.issues["unknown_rating"] == 1


def test_merged_ticket_and_spam(imported):
    assert _case("2003").merged_into_id == _case("2002").pk
    assert not ImportedRecord.objects.filter(source="freshdesk", kind="ticket", source_id="2004").exists()
    assert imported.issues["deleted_ticket"] == 1


def test_unknown_values_are_reported(imported):
    for kind in (
        "unknown_status",
        "unknown_priority",
        "unknown_type",
        "unknown_channel",
        "unknown_assignee",
        "missing_requester",
    ):
        assert imported.issues[kind] == 1, kind
    assert ImportedCaseData.objects.get(case=_case("2005")).fields == [["Original type", "Enquiry about stuff"]]


def test_attachments_beside_the_export_are_found_by_name(imported):
    shot = Attachment.objects.get()
    assert (shot.filename, shot.content_type) == ("screenshot.png", "image/png")


def test_time_zones_across_the_october_change(imported):
    # 01:30 BST on 25 October 2026 is 00:30 UTC; the conversation 15 minutes later too.
    assert _case("2002").created_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
