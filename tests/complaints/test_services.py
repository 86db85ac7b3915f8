"""Complaint handling through the services: HEAT stages as events, the closing guard and its
override, escalation, awards within and above authority, approvals, the final response letter,
the legal hold and the final-response deadline."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from rapport import extensions
from rapport.cases.models import CaseEvent, MessageKind
from rapport.cases.services import case_update, message_add
from rapport.complaints import services
from rapport.complaints.models import ApprovalRequest, Award, AwardStatus, Complaint, ComplaintSettings, FollowUp
from rapport.domain import complaint_rules as rules
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from tests.conftest import make_user


def pdf_text(data: bytes) -> str:
    """The text of a PDF as a reader would copy it out (through its fonts' Unicode maps)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_each_heat_stage_is_a_case_event_and_keeps_the_customers_words(agent, complaint_case, now):
    # given
    ref = complaint_case.reference
    words = "I  rang THREE times!!\nNobody called back."

    # when
    services.complaint_hear(
        actor=agent, reference=ref, account=words, summary="Three calls unanswered.", confirmed=False, now=now
    )
    services.complaint_empathise(actor=agent, reference=ref, said="I understand.", now=now)
    services.complaint_apologise(actor=agent, reference=ref, said="I am sorry.", now=now)
    services.complaint_take_ownership(
        actor=agent,
        reference=ref,
        handler=agent,
        action_plan="Call back today.",
        promised_date=now.date() + timedelta(days=3),
        follow_ups=[now.date() + timedelta(days=1)],
        now=now,
    )

    # then
    complaint = Complaint.objects.get(case=complaint_case)
    assert complaint.account == words  # verbatim
    assert not complaint.summary_confirmed
    assert kinds(complaint_case)[-4:] == ["heat_hear", "heat_empathise", "heat_apologise", "heat_take_ownership"]
    assert list(FollowUp.objects.values_list("due", flat=True)) == [now.date() + timedelta(days=1)]


def test_an_apology_is_not_an_admission_of_liability(agent, complaint_case, now):
    ref = complaint_case.reference
    services.complaint_apologise(actor=agent, reference=ref, said="Sorry.", now=now)
    assert not Complaint.objects.get(case=complaint_case).liability_admitted
    assert "liability_admitted" not in kinds(complaint_case)

    services.complaint_apologise(
        actor=agent, reference=ref, said="Sorry, it was our fault.", liability_admitted=True, now=now
    )
    assert Complaint.objects.get(case=complaint_case).liability_admitted
    assert kinds(complaint_case).count("liability_admitted") == 1


def test_bad_stage_input_is_refused_and_nothing_is_written(agent, complaint_case, now):
    before = kinds(complaint_case)
    with pytest.raises(FieldError) as refused:
        services.complaint_take_ownership(
            actor=agent,
            reference=complaint_case.reference,
            handler=None,
            action_plan=" ",
            promised_date=now.date() - timedelta(days=1),
            now=now,
        )
    assert refused.value.errors == {
        "action_plan": [services.PLAN_REQUIRED],
        "handler": [services.HANDLER_REQUIRED],
        "promised_date": [services.PROMISE_IN_PAST],
    }
    assert kinds(complaint_case) == before
    assert not Complaint.objects.filter(case=complaint_case, owned_at__isnull=False).exists()


def test_a_case_that_is_not_a_complaint_has_no_complaint(agent, case, now):
    with pytest.raises(NotFound):
        services.complaint_empathise(actor=agent, reference=case.reference, said="Hm.", now=now)


def test_staff_who_cannot_see_the_case_cannot_reach_its_complaint(other_agent, complaint_case, now):
    with pytest.raises(NotFound):
        services.complaint_empathise(actor=other_agent, reference=complaint_case.reference, said="Hm.", now=now)


def test_closing_needs_every_stage_a_customer_response_and_a_root_cause(agent, complaint_case, now):
    # when
    with pytest.raises(FieldError) as refused:
        case_update(
            actor=agent,
            reference=complaint_case.reference,
            expected_version=complaint_case.version,
            changes={"status": "resolved"},
            now=now,
        )

    # then
    assert refused.value.errors["status"] == list(rules.closing_refusals(rules.ClosingFacts(frozenset(), None, None)))
    complaint_case.refresh_from_db()
    assert complaint_case.status == "open"
    with pytest.raises(FieldError):
        message_add(
            actor=agent,
            reference=complaint_case.reference,
            kind="outbound",
            body="Done.",
            status_after="closed",
            now=now,
        )


def test_a_complete_complaint_closes(agent, heat_done, now):
    ref = heat_done.reference
    services.complaint_record_outcome(
        actor=agent,
        reference=ref,
        outcome="upheld",
        outcome_text="Refunded.",
        customer_response="accepted",
        root_cause="product-fault",
        now=now,
    )
    heat_done.refresh_from_db()
    updated = case_update(
        actor=agent, reference=ref, expected_version=heat_done.version, changes={"status": "resolved"}, now=now
    )
    assert updated.status == "resolved"
    assert {"complaint_outcome", "customer_response", "root_cause"} <= set(kinds(heat_done))


def test_an_unknown_root_cause_or_response_is_refused(agent, complaint_case, now):
    with pytest.raises(FieldError) as refused:
        services.complaint_record_outcome(
            actor=agent,
            reference=complaint_case.reference,
            outcome="maybe",
            outcome_text="",
            customer_response="shrug",
            root_cause="made-up",
            now=now,
        )
    assert set(refused.value.errors) == {"outcome", "outcome_text", "customer_response", "root_cause"}


def test_only_a_manager_may_override_and_must_say_why(agent, manager, complaint_case, now):
    ref = complaint_case.reference
    with pytest.raises(Forbidden):
        services.complaint_override(actor=agent, reference=ref, reason="Customer withdrew it.", now=now)
    with pytest.raises(FieldError):
        services.complaint_override(actor=manager, reference=ref, reason="  ", now=now)

    services.complaint_override(
        actor=manager, reference=ref, reason="Customer withdrew the complaint by phone.", now=now
    )

    complaint_case.refresh_from_db()
    closed = case_update(
        actor=agent, reference=ref, expected_version=complaint_case.version, changes={"status": "closed"}, now=now
    )
    assert closed.status == "closed"
    event = CaseEvent.objects.get(case=complaint_case, kind="complaint_override")
    assert (event.actor, event.after) == (manager, "Customer withdrew the complaint by phone.")


def test_complaints_received_before_the_checks_began_are_not_held(agent, complaint_case, now):
    ComplaintSettings.objects.filter(pk=1).update(checks_from=now + timedelta(days=1))
    closed = case_update(
        actor=agent,
        reference=complaint_case.reference,
        expected_version=complaint_case.version,
        changes={"status": "closed"},
        now=now,
    )
    assert closed.status == "closed"


def test_escalation_climbs_the_ladder_with_reasons(agent, admin_user, complaint_case, now):
    ComplaintSettings.objects.filter(pk=1).update(complaints_lead=admin_user)
    ref = complaint_case.reference
    for reason in ("Customer asked for a manager.", "Refund above my authority.", "Threatens legal action."):
        services.complaint_escalate(actor=agent, reference=ref, reason=reason, now=now)
    with pytest.raises(FieldError) as refused:
        services.complaint_escalate(actor=agent, reference=ref, reason="Again.", now=now)

    assert refused.value.errors == {"reason": [rules.TOP_OF_LADDER]}
    events = CaseEvent.objects.filter(case=complaint_case, kind="complaint_escalated")
    assert [(e.before, e.after) for e in events] == [
        ("Agent", "Team leader: Customer asked for a manager."),
        ("Team leader", "Manager: Refund above my authority."),
        ("Manager", "Complaints lead: Threatens legal action."),
    ]
    version = complaint_case.version
    complaint_case.refresh_from_db()
    assert complaint_case.owner == admin_user  # handed to the complaints lead
    assert complaint_case.version == version + 1  # an edit made before the hand-over now conflicts


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.com", "admin")


def test_an_award_within_authority_is_granted_at_once(agent, complaint_case, now):
    award = services.award_request(
        actor=agent, reference=complaint_case.reference, kind="goodwill", basis="goodwill", amount="20.00", now=now
    )
    assert award.status == AwardStatus.GRANTED
    assert not ApprovalRequest.objects.exists()
    assert "award_granted" in kinds(complaint_case)


def test_a_legal_refund_above_the_limit_goes_for_approval_and_cannot_be_refused_for_budget(
    agent, team_leader, manager, assessed, now
):
    complaint_case = assessed
    # given: an agent may refund up to £50
    award = services.award_request(
        actor=agent,
        reference=complaint_case.reference,
        kind="refund",
        basis="legal",
        amount="189.00",
        remedy="short_term_reject",
        now=now,
    )
    approval = award.approval
    assert award.status == AwardStatus.AWAITING_APPROVAL
    assert approval.approver_role == "team_leader"

    # when: refused for budget
    with pytest.raises(FieldError) as refused:
        services.approval_decide(
            actor=team_leader,
            approval_id=approval.pk,
            approve=False,
            ground="budget",
            reason="Over budget this month.",
            now=now,
        )

    # then: refused, and nothing changed
    assert refused.value.errors == {"reason": [rules.LEGAL_NOT_REFUSED_FOR_BUDGET]}
    award.refresh_from_db()
    assert award.status == AwardStatus.AWAITING_APPROVAL

    # the requester cannot decide their own request
    with pytest.raises(Forbidden):
        services.approval_decide(actor=agent, approval_id=approval.pk, approve=True, reason="Mine.", now=now)

    services.approval_decide(
        actor=team_leader, approval_id=approval.pk, approve=True, reason="Within 30 days of delivery.", now=now
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.GRANTED
    assert "approval_decided" in kinds(complaint_case)
    with pytest.raises(Conflict):
        services.approval_decide(actor=manager, approval_id=approval.pk, approve=False, reason="No.", now=now)


def test_goodwill_may_be_refused_for_budget_with_a_reason(agent, manager, complaint_case, now):
    award = services.award_request(
        actor=agent, reference=complaint_case.reference, kind="goodwill", basis="goodwill", amount="200", now=now
    )
    assert award.approval.approver_role == "manager"
    services.approval_decide(
        actor=manager,
        approval_id=award.approval.pk,
        approve=False,
        ground="budget",
        reason="Goodwill budget spent.",
        now=now,
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.REFUSED


@pytest.mark.parametrize("amount", ["", "abc", "-5", "0", "1.234", "NaN", "1e9"])
def test_bad_amounts_are_refused(agent, complaint_case, now, amount):
    with pytest.raises(FieldError) as refused:
        services.award_request(
            actor=agent, reference=complaint_case.reference, kind="refund", basis="goodwill", amount=amount, now=now
        )
    assert refused.value.errors == {"amount": [services.AMOUNT_INVALID]}


def test_a_legal_award_names_its_remedy(agent, complaint_case, now):
    with pytest.raises(FieldError) as refused:
        services.award_request(
            actor=agent, reference=complaint_case.reference, kind="refund", basis="legal", amount="10", now=now
        )
    assert refused.value.errors == {"remedy": [services.REMEDY_FOR_LEGAL]}


def test_assessing_remedies_stores_the_facts_and_the_assessment(agent, complaint_case, now):
    delivered = now.date() - timedelta(days=10)
    assessment = services.complaint_assess(
        actor=agent,
        reference=complaint_case.reference,
        facts={
            "kind": "goods",
            "contract_date": delivered,
            "delivered": delivered,
            "reported": now.date(),
            "price": Decimal("189.00"),
        },
        now=now,
    )
    assert "short_term_reject" in assessment.codes
    complaint = Complaint.objects.get(case=complaint_case)
    assert complaint.facts["price"] == "189.00"
    assert services.assessment_for(complaint, now.date()) == assessment


def test_incoherent_facts_are_refused_with_the_rules_message(agent, complaint_case, now):
    with pytest.raises(FieldError) as refused:
        services.complaint_assess(
            actor=agent,
            reference=complaint_case.reference,
            facts={"kind": "goods", "contract_date": now.date(), "reported": now.date() - timedelta(days=1)},
            now=now,
        )
    assert refused.value.errors == {"facts": ["reported cannot be before contract_date"]}


def test_the_final_response_is_a_message_with_a_pdf_naming_the_ombudsman_and_time_limit(agent, heat_done, now):
    # given
    ref = heat_done.reference
    delivered = now.date() - timedelta(days=10)
    services.complaint_assess(
        actor=agent,
        reference=ref,
        facts={
            "kind": "goods",
            "contract_date": delivered,
            "delivered": delivered,
            "reported": now.date(),
            "price": "40",
        },
        now=now,
    )
    services.award_request(
        actor=agent, reference=ref, kind="refund", basis="legal", amount="40", remedy="short_term_reject", now=now
    )
    services.award_request(
        actor=agent, reference=ref, kind="goodwill", basis="goodwill", amount="10", note="Voucher", now=now
    )
    services.complaint_record_outcome(
        actor=agent, reference=ref, outcome="upheld", outcome_text="We will refund you in full.", now=now
    )

    # when
    services.final_response_send(actor=agent, reference=ref, now=now)

    # then
    message = heat_done.messages.filter(kind=MessageKind.OUTBOUND).get()
    assert "The Financial Ombudsman Service" in message.body
    assert "within 6 months" in message.body
    assert "2 September 2026" in message.body
    assert message.body.index("What the law entitles you to") < message.body.index("What we offer as goodwill")
    assert "short-term right to reject" in message.body
    attachment = message.attachments.get()
    assert attachment.filename == f"final-response-{ref}.pdf"
    pdf = attachment.file.read()
    assert pdf.startswith(b"%PDF")
    assert "Ombudsman" in pdf_text(pdf)
    assert "final_response_sent" in kinds(heat_done)
    with pytest.raises(Conflict):
        services.final_response_send(actor=agent, reference=ref, now=now)


def test_a_deadlock_letter_uses_its_own_template_and_still_names_the_adr_body(agent, heat_done, now):
    ComplaintSettings.objects.filter(pk=1).update(
        adr_body="The Retail ADR", adr_details="retailadr.org.uk", referral_months=12
    )
    services.complaint_record_outcome(
        actor=agent, reference=heat_done.reference, outcome="not_upheld", outcome_text="We cannot offer more.", now=now
    )
    services.final_response_send(actor=agent, reference=heat_done.reference, deadlock=True, now=now)
    message = heat_done.messages.filter(kind=MessageKind.OUTBOUND).get()
    assert "we have not been able to resolve it to your satisfaction" in message.body
    assert "The Retail ADR" in message.body
    assert "within 12 months" in message.body
    assert message.attachments.get().filename.startswith("deadlock-")


def test_no_final_response_without_an_outcome(agent, heat_done, now):
    with pytest.raises(FieldError) as refused:
        services.final_response_send(actor=agent, reference=heat_done.reference, now=now)
    assert refused.value.errors == {"outcome": [services.OUTCOME_REQUIRED]}
    assert heat_done.messages.count() == 1


def test_an_open_complaint_holds_the_customers_data(agent, complaint_case, customer, now):
    services.complaint_empathise(actor=agent, reference=complaint_case.reference, said="I see.", now=now)
    assert extensions.hold_reasons(customer) == [f"Open complaint {complaint_case.reference}."]


def test_the_final_response_deadline_is_shown_for_open_complaints(agent, complaint_case, case, now):
    found = extensions.deadlines_for([complaint_case, case])
    assert list(found) == [complaint_case.pk]
    (deadline,) = found[complaint_case.pk]
    assert deadline.name == "Final response"
    assert deadline.due == now + timedelta(weeks=8)


def test_deadline_warnings_go_out_once_per_state(
    agent, complaint_case, mailoutbox, now, django_capture_on_commit_callbacks
):
    # given: received on `now`, due 8 weeks later, warned 14 days before
    due_soon = now + timedelta(weeks=8) - timedelta(days=3)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert services.final_response_warnings(now=now) == 0
        assert services.final_response_warnings(now=due_soon) == 1
        assert services.final_response_warnings(now=due_soon) == 0
        assert services.final_response_warnings(now=now + timedelta(weeks=9)) == 1

    # then
    warnings = CaseEvent.objects.filter(case=complaint_case, kind="final_response_warning")
    assert list(warnings.values_list("after", flat=True)) == ["due_soon", "overdue"]
    assert [m.to for m in mailoutbox] == [[agent.email], [agent.email]]
    assert mailoutbox[0].subject == f"Final response is due by 27 April 2026: {complaint_case.reference}"


def test_no_warning_once_the_final_response_is_sent(agent, heat_done, now):
    services.complaint_record_outcome(
        actor=agent, reference=heat_done.reference, outcome="upheld", outcome_text="Refunded.", now=now
    )
    services.final_response_send(actor=agent, reference=heat_done.reference, now=now)
    assert services.final_response_warnings(now=now + timedelta(weeks=9)) == 0


def test_a_case_retyped_as_a_complaint_becomes_one_from_its_first_contact(agent, case, now):
    assert not Complaint.objects.filter(case=case).exists()
    case_update(
        actor=agent,
        reference=case.reference,
        expected_version=case.version,
        changes={"type": "complaint"},
        now=now + timedelta(days=3),
    )
    assert Complaint.objects.get(case=case).received_at == case.created_at


def test_a_letter_template_with_stray_braces_still_makes_a_letter():
    from rapport.complaints.letters import fill

    fields = {"customer": "Alice", "reference": "C-000001"}
    assert fill("Dear {customer}, {unknown} { {0} {customer.__class__} {reference}", fields) == (
        "Dear Alice, {unknown} { {0} {customer.__class__} C-000001"
    )


# --- authority over the running total, per-person caps, legal awards that implement an assessment ---


def test_ten_small_goodwill_awards_are_weighed_as_one(agent, complaint_case, now):
    # given: an agent may grant £20 of goodwill
    ref = complaint_case.reference
    # when: they post ten £20 goodwill gestures on one complaint
    awards = [
        services.award_request(actor=agent, reference=ref, kind="goodwill", basis="goodwill", amount="20", now=now)
        for _ in range(10)
    ]
    # then: the first is granted; every later one takes the total above £20 and waits for approval
    assert [a.status for a in awards] == [AwardStatus.GRANTED] + [AwardStatus.AWAITING_APPROVAL] * 9
    # the approver is the lowest role whose limit covers the running total: £40 a team leader (£50), £60 a manager
    assert [a.approval.approver_role for a in awards[1:3]] == ["team_leader", "manager"]
    assert ApprovalRequest.objects.filter(award__complaint__case=complaint_case).count() == 9


def test_legal_and_goodwill_totals_are_kept_apart(agent, assessed, now):
    ref = assessed.reference
    goodwill = services.award_request(actor=agent, reference=ref, kind="refund", basis="goodwill", amount="40", now=now)
    legal = services.award_request(
        actor=agent, reference=ref, kind="refund", basis="legal", amount="40", remedy="repair", now=now
    )
    assert goodwill.status == legal.status == AwardStatus.GRANTED  # each £40 is within the £50 refund limit


def test_a_refused_award_no_longer_counts_towards_the_total(agent, manager, complaint_case, now):
    ref = complaint_case.reference
    big = services.award_request(actor=agent, reference=ref, kind="goodwill", basis="goodwill", amount="200", now=now)
    services.approval_decide(
        actor=manager, approval_id=big.approval.pk, approve=False, ground="budget", reason="No.", now=now
    )
    small = services.award_request(actor=agent, reference=ref, kind="goodwill", basis="goodwill", amount="20", now=now)
    assert small.status == AwardStatus.GRANTED


def test_a_per_person_cap_applies_across_complaints_and_starts_again_next_period(agent, customer, team, now):
    from rapport.cases.services import case_create
    from rapport.complaints.models import AuthorityLimit

    # given: agents may grant £20 of goodwill per complaint and £30 a day in all
    AuthorityLimit.objects.filter(role="agent", kind="goodwill").update(period="day", period_limit_pence=3_000)
    first, second, third = (
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Late delivery {n}",
            body="Late.",
            type="complaint",
            channel="email",
            team=team,
            owner=agent,
            now=now,
        ).reference
        for n in range(3)
    )
    # when / then: £20 today is granted, a second £20 today goes above the £30 cap
    granted = services.award_request(
        actor=agent, reference=first, kind="goodwill", basis="goodwill", amount="20", now=now
    )
    held = services.award_request(
        actor=agent, reference=second, kind="goodwill", basis="goodwill", amount="20", now=now
    )
    assert (granted.status, held.status) == (AwardStatus.GRANTED, AwardStatus.AWAITING_APPROVAL)
    # the next day the cap starts again
    tomorrow = services.award_request(
        actor=agent, reference=third, kind="goodwill", basis="goodwill", amount="20", now=now + timedelta(days=1)
    )
    assert tomorrow.status == AwardStatus.GRANTED


def test_a_period_needs_its_cap():
    from django.core.exceptions import ValidationError

    from rapport.complaints.models import AuthorityLimit

    limit = AuthorityLimit.objects.get(role="agent", kind="goodwill")
    limit.period = "week"
    with pytest.raises(ValidationError, match="Give both a period and its cap"):
        limit.full_clean()


def test_a_legal_award_with_no_assessment_on_file_is_refused_and_nothing_is_stored(agent, complaint_case, now):
    with pytest.raises(FieldError) as refused:
        services.award_request(
            actor=agent,
            reference=complaint_case.reference,
            kind="refund",
            basis="legal",
            amount="10",
            remedy="repair",
            now=now,
        )
    assert refused.value.errors == {"remedy": [rules.NO_ASSESSMENT_FOR_LEGAL]}
    assert not Award.objects.exists()
    assert "award_granted" not in kinds(complaint_case)


def test_a_legal_award_for_a_remedy_the_assessment_does_not_give_is_refused(agent, assessed, now):
    # goods delivered ten days ago, never repaired: no final right to reject yet (CRA s.24(5))
    with pytest.raises(FieldError) as refused:
        services.award_request(
            actor=agent,
            reference=assessed.reference,
            kind="refund",
            basis="legal",
            amount="10",
            remedy="final_reject",
            now=now,
        )
    assert "does not give the customer final reject" in refused.value.errors["remedy"][0]
    assert not Award.objects.exists()


def test_a_legal_award_after_the_right_has_lapsed_is_refused(agent, assessed, now):
    # thirty days after delivery the short-term right to reject has gone (CRA s.22(3))
    later = now + timedelta(days=40)
    with pytest.raises(FieldError) as refused:
        services.award_request(
            actor=agent,
            reference=assessed.reference,
            kind="refund",
            basis="legal",
            amount="10",
            remedy="short_term_reject",
            now=later,
        )
    assert "short term reject" in refused.value.errors["remedy"][0]
