"""Drafting, previewing and sending a proactive message: who is reached, how, who is skipped and
why, the outbox, progress in batches, the audit trail and the contingency hook."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.models import CaseEvent
from rapport.mail.models import OutboxAttachment, OutboxEmail
from rapport.outreach import selectors, services
from rapport.outreach.models import Origin, Outreach, OutreachState, Recipient, RecipientState
from rapport.platform.errors import Conflict, FieldError, Forbidden
from rapport.privacy.models import Consent
from tests.outreach.conftest import TAG

pytestmark = pytest.mark.django_db

BODY = "Our online account service was down this morning. Nothing was taken twice."
EASY = "Our website did not work. You did not pay twice."


def _draft(actor, now, **extra):
    values = {
        "title": "Outage notice",
        "subject": "Our online service was down",
        "body": BODY,
        "easy_read_body": EASY,
        "segment": {"open_case_tag": TAG},
    }
    values.update(extra)
    return services.outreach_draft(actor=actor, now=now, **values)


def test_preview_counts_the_group_and_names_who_is_skipped_and_why(team_leader, group, now):
    outreach = _draft(team_leader, now)
    found = selectors.preview(team_leader, outreach)

    assert found.matched == 6
    assert found.to_send == 3  # plain, adjusted, letters
    assert (found.by_email, found.by_hand) == (2, 1)
    assert {reason: n for reason, _label, n in found.skipped} == {"erased": 1, "restricted": 1, "no_address": 1}
    named = {c.name: c.reason for c in found.skipped_customers}
    assert named == {"Tom Evans": "restricted", "Erased person": "erased", "Gwen Morgan": "no_address"}
    formats = dict(found.formats)
    assert formats["Large-print copy attached"] == 1  # Ravi
    assert formats["Easy-read wording"] == 1
    assert formats["Offer of BSL by video relay"] == 1
    assert "Art 6(1)(f)" in outreach.basis
    assert outreach.segment_label == f"Customers with an open case tagged {TAG}"


def test_sending_emails_through_the_outbox_shaped_by_adjustments_and_records_everyone(
    team_leader, group, now, django_capture_on_commit_callbacks
):
    outreach = _draft(team_leader, now)
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_send(actor=team_leader, outreach_id=outreach.pk, now=now)
    outreach.refresh_from_db()

    assert outreach.state == OutreachState.SENT
    assert (outreach.total, outreach.done, outreach.sent, outreach.by_hand) == (6, 6, 2, 1)
    assert outreach.skipped == {"erased": 1, "restricted": 1, "no_address": 1}
    emails = {e.to: e for e in OutboxEmail.objects.all()}
    assert set(emails) == {"priya@example.org", "ravi@example.org"}  # never the restricted, never letters
    plain, adjusted = emails["priya@example.org"], emails["ravi@example.org"]
    assert BODY in plain.text
    assert plain.html
    assert EASY in adjusted.text
    assert BODY not in adjusted.text
    assert "British Sign Language" in adjusted.text
    assert adjusted.html == ""  # easy read goes as plain text
    assert OutboxAttachment.objects.filter(email=adjusted, filename="large-print.pdf").exists()
    assert not OutboxAttachment.objects.filter(email=plain).exists()
    states = dict(Recipient.objects.filter(outreach=outreach).values_list("customer__name", "state"))
    assert states["Edith Clarke"] == RecipientState.BY_HAND
    assert states["Tom Evans"] == RecipientState.SKIPPED
    restricted = Recipient.objects.get(outreach=outreach, customer=group.restricted)
    assert restricted.skip_reason == "restricted"
    assert [e.action for e in outreach.events.all()] == ["drafted", "sent", "finished"]
    # on the timeline of each reached customer's open case the message was about; not of the skipped
    on_timeline = set(CaseEvent.objects.filter(kind="proactive_message").values_list("case__customer__name", "after"))
    assert on_timeline == {(name, "Outage notice") for name in ("Priya Shah", "Ravi Patel", "Edith Clarke")}


def test_a_large_send_moves_in_batches_shows_its_progress_and_resumes_without_writing_twice(
    team_leader, group, now, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 2)
    monkeypatch.setattr(services.jobs, "enqueue", lambda *args: None)  # the worker "dies" before starting
    outreach = _draft(team_leader, now)
    services.outreach_send(actor=team_leader, outreach_id=outreach.pk, now=now)

    assert services.outreach_deliver(outreach_id=outreach.pk, now=now, batches=1) == 2
    outreach.refresh_from_db()
    assert (outreach.state, outreach.done, outreach.total) == (OutreachState.SENDING, 2, 6)

    assert services.outreach_resume(now=now + timedelta(minutes=5)) == 4
    outreach.refresh_from_db()
    assert (outreach.state, outreach.done) == (OutreachState.SENT, 6)
    assert Recipient.objects.filter(outreach=outreach).count() == 6
    assert OutboxEmail.objects.count() == 2
    assert services.outreach_deliver(outreach_id=outreach.pk, now=now) == 0  # finished: nothing more


def test_marketing_needs_consent_and_a_manager(team_leader, manager, group, now):
    with pytest.raises(Forbidden):
        _draft(team_leader, now, purpose="marketing")
    Consent.objects.create(
        customer=group.plain,
        purpose="marketing",
        channel="email",
        basis="consent",
        granted=True,
        method="portal",
        wording="Yes, email me offers",
        at=now,
    )
    Consent.objects.create(
        customer=group.adjusted,
        purpose="marketing",
        channel="email",
        basis="consent",
        granted=False,
        method="phone",
        wording="No offers please",
        at=now,
    )
    outreach = _draft(manager, now, purpose="marketing")
    found = selectors.preview(manager, outreach)
    reasons = {reason: n for reason, _label, n in found.skipped}
    assert reasons["opted_out"] == 1  # Ravi said no
    assert reasons["no_consent"] == 2  # Edith and Gwen were never asked
    assert found.to_send == 1  # Priya alone said yes
    assert "Consent" in outreach.basis


def test_agents_do_not_send_and_bad_input_names_the_field(agent, team_leader, group, now):
    with pytest.raises(Forbidden):
        _draft(agent, now)
    with pytest.raises(FieldError) as error:
        _draft(team_leader, now, title=" ", segment={})
    assert {"title", "open_case_tag"} <= set(error.value.errors)
    with pytest.raises(FieldError) as error:
        _draft(team_leader, now, segment={"open_case_tag": "no-such-tag"})
    assert "open_case_tag" in error.value.errors
    with pytest.raises(FieldError) as error:
        _draft(team_leader, now, segment={"group": "martians"})
    assert "group" in error.value.errors
    with pytest.raises(FieldError) as error:
        _draft(team_leader, now, segment={"colour": "blue"})
    assert "colour" in error.value.errors


def test_a_send_that_started_cannot_be_changed_or_sent_again(team_leader, group, now):
    outreach = _draft(team_leader, now)
    services.outreach_send(actor=team_leader, outreach_id=outreach.pk, now=now)
    with pytest.raises(Conflict):
        services.outreach_send(actor=team_leader, outreach_id=outreach.pk, now=now)
    with pytest.raises(Conflict):
        services.outreach_update(actor=team_leader, outreach=Outreach.objects.get(), now=now, title="Changed")


def test_a_draft_can_be_edited_and_the_edit_is_recorded(team_leader, group, now):
    outreach = _draft(team_leader, now)
    services.outreach_update(actor=team_leader, outreach=outreach, now=now, segment={"open_case_type": "enquiry"})
    outreach.refresh_from_db()
    assert outreach.segment == {"open_case_type": "enquiry"}
    assert outreach.segment_label == "Customers with an open enquiry case"
    assert [e.action for e in outreach.events.all()] == ["drafted", "edited"]


def test_feedback_audiences_narrow_the_group(team_leader, group, now):
    group.plain.tier = "gold"
    group.plain.save()
    from rapport.feedback.models import LoyaltyTier

    LoyaltyTier.objects.create(name="gold", label="Gold", threshold_pence=100_000)
    outreach = _draft(team_leader, now, segment={"open_case_tag": TAG, "tier": "gold"})
    assert "loyalty tier gold" in outreach.segment_label
    assert selectors.preview(team_leader, outreach).matched == 1


def test_a_service_plan_contingency_drafts_a_notice_for_a_person_to_send(team_leader, group, now):
    respond = extensions.contingency_responses.get(extensions.NOTIFY_CUSTOMERS)
    assert respond is not None
    started = respond(
        team_leader,
        extensions.ContingencyRequest(
            title="Phone lines down",
            subject="Our phone lines are down",
            body="Please use chat.",
            segment={"open_case_tag": TAG},
            reason="System down declared by a manager",
        ),
        now,
    )
    outreach = Outreach.objects.get()
    assert outreach.origin == Origin.CONTINGENCY
    assert outreach.state == OutreachState.DRAFT
    assert outreach.reason == "System down declared by a manager"
    assert started.link == f"/outreach/{outreach.pk}/"
