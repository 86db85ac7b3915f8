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
from rapport.cases.services import case_create, case_update
from rapport.complaints import services as complaints
from rapport.complaints.models import Complaint, RootCause
from rapport.feedback import services as feedback
from rapport.feedback.models import FollowUp, SurveyAnswer, SurveyInvitation
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


def complained_and_answered_a_survey(customer, customer_user, agent, team_leader, team, now):
    """Alice's complaint from over a year ago, heard, answered and closed (so past the ombudsman
    referral time), and a low CSAT answer naming her, with the follow-up that closed it."""
    RootCause.objects.create(code="faulty", name="Faulty product")
    year_ago = now - timedelta(days=400)
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Kettle complaint",
        body="I am furious.",
        type="complaint",
        channel="email",
        team=team,
        owner=agent,
        now=year_ago,
    )
    ref = case.reference
    complaints.complaint_hear(
        actor=agent,
        reference=ref,
        account="I am Alice Jones of 1 High Street and my kettle burnt my hand.",
        summary="Alice says the kettle burnt her; call 07700 900123.",
        confirmed=True,
        product="Kettles",
        now=year_ago,
    )
    complaints.complaint_empathise(actor=agent, reference=ref, said="That must have hurt, Alice.", now=year_ago)
    complaints.complaint_apologise(actor=agent, reference=ref, said="I am sorry, Ms Jones.", now=year_ago)
    complaints.complaint_take_ownership(
        actor=agent,
        reference=ref,
        handler=agent,
        action_plan="Refund Alice Jones today.",
        promised_date=year_ago.date() + timedelta(days=2),
        now=year_ago,
    )
    complaints.award_request(
        actor=agent,
        reference=ref,
        kind="goodwill",
        basis="goodwill",
        amount="10",
        note="Voucher for Alice",
        now=year_ago,
    )
    complaints.complaint_record_outcome(
        actor=agent,
        reference=ref,
        outcome="upheld",
        outcome_text="We will refund Alice Jones in full.",
        customer_response="accepted",
        root_cause="faulty",
        now=year_ago,
    )
    complaints.final_response_send(actor=agent, reference=ref, now=year_ago + timedelta(days=1))
    case.refresh_from_db()
    case_update(
        actor=agent,
        reference=ref,
        expected_version=case.version,
        changes={"status": "resolved"},
        now=year_ago + timedelta(days=2),
    )

    invitation = SurveyInvitation.objects.filter(customer=customer, kind="csat").exclude(case=case).get()
    assert feedback.invitation_send(invitation_id=invitation.pk, now=now + timedelta(days=2)) == "sent"
    feedback.survey_answer(
        token=feedback.survey_token(invitation),
        score=1,
        comment="Alice Jones here: ring me on 07700 900123, I live at 1 High Street.",
        now=now + timedelta(days=2),
    )
    follow_up = FollowUp.objects.get(answer__customer=customer)
    feedback.follow_up_close(
        actor=team_leader, follow_up_id=follow_up.pk, outcome="Rang Alice Jones back.", now=now + timedelta(days=2)
    )
    return case


def traces(haystack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, term) for where, text in haystack for term in IDENTITY if term.lower() in text.lower()]


@pytest.mark.django_db(transaction=True)
def test_access_then_erasure_leaves_no_trace_and_keeps_statistics(
    history, customer, customer_user, agent, manager, team_leader, team, now, django_capture_on_commit_callbacks
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
    complaint_case = complained_and_answered_a_survey(customer, customer_user, agent, team_leader, team, now)
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
    assert len(data["cases"]) == 4  # two cases, the complaint and the access request itself
    bodies = [m["body"] for c in data["cases"] for m in c["messages"]]
    assert "Dear Alice, we are on it." in bodies
    assert any(m["internal"] for c in data["cases"] for m in c["messages"])
    files = [a["file"] for c in data["cases"] for m in c["messages"] for a in m["attachments"]]
    assert len(files) == 2  # the receipt and the final response letter
    receipt = next(f for f in files if f.endswith("receipt.png"))
    assert archive.read(receipt).endswith(b"Alice Jones")
    # And what the other areas hold: the complaint, its award and letter, the survey answer
    other = data["other"]
    assert other["Complaints"][0]["your_account"].startswith("I am Alice Jones")
    assert other["Complaints"][0]["root_cause"] == "Faulty product"
    assert other["Complaint awards"][0]["note"] == "Voucher for Alice"
    assert other["Complaint letters"] == [
        {
            "case": complaint_case.reference,
            "letter": "Final response",
            "sent": (now - timedelta(days=399)).isoformat(),
            "file": f"final-response-{complaint_case.reference}.pdf",
        }
    ]
    answered = [r for r in other["Surveys"] if r["answered"]]
    assert answered[0]["score"] == 1
    assert answered[0]["comment"].startswith("Alice Jones here")
    assert answered[0]["follow_up_outcome"] == "Rang Alice Jones back."
    assert "Faulty product" in archive.read("summary.html").decode()
    assert data["consents"][0]["wording"] == "May we ask how we did?"
    assert data["access_log"][0]["what"] == "subject access export"
    assert data["data_requests"][0]["kind"] == "access"
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert "Alice Jones" in archive.read("summary.html").decode()

    # When they then ask to be erased and a manager erases them
    data_request_create(actor=customer_user, customer=customer, kind="erasure", now=now + timedelta(days=5))
    before = statistics()
    with django_capture_on_commit_callbacks(execute=True):
        erasure = customer_erase(actor=manager, customer_id=customer.pk, now=now + timedelta(days=6))

    # Then no text column of any table, and no file in storage, holds their name, email or phone
    assert traces(database_text()) == []
    assert traces(storage_text()) == []
    # And the statistics are unchanged: counts, times, statuses, sizes
    assert statistics() == before
    erasure.refresh_from_db()
    assert erasure.status == "done"  # complete once the database files are cleared too
    assert erasure.summary["files"] == 2
    assert erasure.summary["survey_comments"] == 1
    assert erasure.summary["complaints"] == 1
    customer.refresh_from_db()
    assert customer.erased_at == now + timedelta(days=6)
    assert DataRequest.objects.filter(case__customer=customer).count() == 2
    assert CaseEvent.objects.filter(kind="erased").count() == 5
    # And the complaint and survey keep their facts for the statistics, without her words
    complaint = Complaint.objects.get(case=complaint_case)
    assert (complaint.outcome, complaint.root_cause.code, complaint.customer_response) == (
        "upheld",
        "faulty",
        "accepted",
    )
    assert complaint.account == "[Erased at the customer's request]"
    assert complaint.summary == "[erased] says the kettle burnt her; call [erased]."
    answer = SurveyAnswer.objects.get(customer=customer)
    assert (answer.score, answer.comment) == (1, "[Erased at the customer's request]")
    # And Bob's case keeps his own words, with Alice's identity taken out
    bob_message = Message.objects.filter(case=history["bobs"]).get()
    assert bob_message.body == "My neighbour [erased] ([erased]) has my parcel."
    assert Erasure.objects.count() == 1
