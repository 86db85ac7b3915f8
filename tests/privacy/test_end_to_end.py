"""The proof: a customer with a history asks for their data, gets all of it, asks to be erased,
and afterwards no trace of their identity is left in the database or in storage, while the
team's statistics are what they were. Runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, Max, Min

from rapport.cases.models import Attachment, Case, CaseEvent, Message
from rapport.privacy.erasure import customer_erase
from rapport.privacy.exports import customer_export
from rapport.privacy.models import DataRequest, Erasure
from rapport.privacy.services import consent_record, data_request_create

IDENTITY = ("Alice Jones", "alice@example.com", "07700 900123", "07700900123", "1 High Street")


def statistics():
    cases = Case.objects.aggregate(
        n=Count("id"),
        first=Min("created_at"),
        last=Max("updated_at"),
        response=Avg(F("first_response_at") - F("created_at")),
    )
    return {
        "cases": cases,
        "by_status": sorted(Case.objects.values_list("status").annotate(n=Count("id"))),
        "by_kind": sorted(Message.objects.values_list("kind").annotate(n=Count("id"))),
        "message_times": list(Message.objects.order_by("id").values_list("created_at", flat=True)),
        "attachments": list(Attachment.objects.order_by("id").values_list("size", "content_type")),
        "resolved": sorted(Case.objects.exclude(resolved_at=None).values_list("id", "resolved_at")),
    }


def database_text() -> list[tuple[str, str]]:
    """Every value in every table, as text (blobs decoded): (table, text)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT CAST(t AS text) FROM {quoted} t")  # noqa: S608 - table names from introspection
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "ignore")
                    if value is not None:
                        found.append((table, str(value)))
    return found


def storage_text() -> list[tuple[str, str]]:
    root = Path(settings.MEDIA_ROOT)
    return [(str(p), p.read_bytes().decode("latin-1")) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def traces(haystack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, term) for where, text in haystack for term in IDENTITY if term.lower() in text.lower()]


@pytest.mark.django_db(transaction=True)
def test_access_then_erasure_leaves_no_trace_and_keeps_statistics(
    history, customer, customer_user, manager, team_leader, now
):
    # Given a customer with a history, who has consented to surveys and asks for their data
    consent_record(
        actor=customer_user,
        customer=customer,
        purpose="survey",
        channel="email",
        granted=True,
        method="portal form",
        wording="May we ask how we did?",
        now=now,
    )
    access = data_request_create(actor=customer_user, customer=customer, kind="access", now=now + timedelta(days=3))
    assert access.case.type == "data_request"
    assert traces(database_text()), "the identity is in the database before erasure"
    assert traces(storage_text()), "and in storage"

    # When a team leader exports it
    bundle = customer_export(
        actor=team_leader, customer_id=customer.pk, why=f"request {access.case.reference}", now=now + timedelta(days=4)
    )

    # Then the bundle holds everything: record, every case and message (notes marked), files, consents, access log
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = set(archive.namelist())
    assert {"data.json", "summary.html", "summary.pdf"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["customer"]["name"] == "Alice Jones"
    assert data["customer"]["phone"] == "07700 900123"
    assert len(data["cases"]) == 3  # two cases and the access request itself
    bodies = [m["body"] for c in data["cases"] for m in c["messages"]]
    assert "Dear Alice, we are on it." in bodies
    assert any(m["internal"] for c in data["cases"] for m in c["messages"])
    files = [a["file"] for c in data["cases"] for m in c["messages"] for a in m["attachments"]]
    assert len(files) == 1
    assert archive.read(files[0]).endswith(b"Alice Jones")
    assert data["consents"][0]["wording"] == "May we ask how we did?"
    assert data["access_log"][0]["what"] == "subject access export"
    assert data["data_requests"][0]["kind"] == "access"
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert "Alice Jones" in archive.read("summary.html").decode()

    # When they then ask to be erased and a manager erases them
    data_request_create(actor=customer_user, customer=customer, kind="erasure", now=now + timedelta(days=5))
    before = statistics()
    erasure = customer_erase(actor=manager, customer_id=customer.pk, now=now + timedelta(days=6))

    # Then no text column of any table, and no file in storage, holds their name, email or phone
    assert traces(database_text()) == []
    assert traces(storage_text()) == []
    # And the statistics are unchanged: counts, times, statuses, sizes
    assert statistics() == before
    assert erasure.status == "done"
    assert erasure.summary["files"] == 1
    customer.refresh_from_db()
    assert customer.erased_at == now + timedelta(days=6)
    assert DataRequest.objects.filter(case__customer=customer).count() == 2
    assert CaseEvent.objects.filter(kind="erased").count() == 4
    # And Bob's case keeps his own words, with Alice's identity taken out
    bob_message = Message.objects.filter(case=history["bobs"]).get()
    assert bob_message.body == "My neighbour [erased] ([erased]) has my parcel."
    assert Erasure.objects.count() == 1
