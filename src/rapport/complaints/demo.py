"""Demo complaints at every stage, made from the complaint cases the core demo already holds:
one fully handled with its final response, one owned with a refund awaiting approval, one heard
only, and the rest just received. Run by ``rapport demo`` after the core demo data exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.cases.models import Case
from rapport.complaints import services
from rapport.complaints.models import AdrScheme, Complaint, ComplaintSettings
from rapport.domain.case_rules import CaseType


def seed_demo(now: datetime) -> None:
    if Complaint.objects.filter(heard_at__isnull=False).exists():
        return
    manager = User.objects.filter(role=Role.MANAGER).order_by("id").first()
    lead = User.objects.filter(role=Role.ADMIN).order_by("id").first() or manager
    if manager is None:
        return
    config = ComplaintSettings.current()
    config.complaints_lead = lead
    letterhead_and_adr(config)
    config.save()
    complaints = list(Case.objects.filter(type=CaseType.COMPLAINT).select_related("owner").order_by("created_at", "id"))
    done = [c for c in complaints if c.resolved_at is not None]
    active = [c for c in complaints if c.resolved_at is None]
    if done:
        _handled(done[0], manager)
    if active:
        _owned(active[0], manager, now)
    if len(active) > 1:
        _heard(active[1], manager)


# The demo organisation is a retailer of home goods that also repairs boilers and sells broadband.
# Retailers answer to a consumer ADR body, not the Financial Ombudsman Service (which is for
# financial firms); broadband complaints go to a communications scheme (Ofcom requires one).
DEMO_ADDRESS = "14 Harbour Walk\nCardiff\nCF10 4PA"
DEMO_CONTACT = "Complaints team: 029 2018 0123 · complaints@rapport.example"
RETAIL_ADR = ("RetailADR", "Website www.retailadr.org.uk. The service is free for you to use.")
CATEGORY_ADR = (
    ("Broadband", "The Communications Ombudsman", "Website www.commsombudsman.org. The service is free to use."),
)


def letterhead_and_adr(config: ComplaintSettings) -> None:
    config.organisation_address = DEMO_ADDRESS
    config.organisation_contact = DEMO_CONTACT
    config.adr_body, config.adr_details = RETAIL_ADR
    for category, body, details in CATEGORY_ADR:
        AdrScheme.objects.get_or_create(category=category, defaults={"adr_body": body, "adr_details": details})


def _heard(case: Case, actor: User) -> None:
    at = case.created_at + timedelta(minutes=20)
    first = case.messages.order_by("created_at", "id").first()
    services.complaint_hear(
        actor=actor,
        reference=case.reference,
        account=first.body if first else case.subject,
        summary=f"Customer unhappy: {case.subject.lower()}.",
        confirmed=False,
        product="Home services",
        now=at,
    )


def _stages(case: Case, actor: User, at: datetime, handler: User) -> None:
    _heard(case, actor)
    ref = case.reference
    services.complaint_empathise(
        actor=actor, reference=ref, said="I can hear how upsetting this has been for you.", now=at
    )
    services.complaint_apologise(actor=actor, reference=ref, said="I am sorry this happened.", now=at)
    services.complaint_take_ownership(
        actor=actor,
        reference=ref,
        handler=handler,
        action_plan="Investigate with the team concerned and call the customer back with the outcome.",
        promised_date=at.date() + timedelta(days=5),
        follow_ups=[at.date() + timedelta(days=2)],
        now=at,
    )


def _owned(case: Case, manager: User, now: datetime) -> None:
    at = min(case.created_at + timedelta(hours=1), now)
    handler = case.owner if case.owner and case.owner.role == Role.AGENT else manager
    _stages(case, manager, at, handler)
    bought = case.created_at.date() - timedelta(days=10)
    services.complaint_assess(
        actor=manager,
        reference=case.reference,
        facts={
            "kind": "goods",
            "contract_date": bought,
            "delivered": bought,
            "reported": case.created_at.date(),
            "price": "189.00",
        },
        now=at,
    )
    # Above an agent's refund limit: it waits for a team leader's decision.
    services.award_request(
        actor=handler,
        reference=case.reference,
        kind="refund",
        basis="legal",
        amount="189.00",
        remedy="short_term_reject",
        note="Full refund: rejected within 30 days of delivery",
        now=at,
    )


def _handled(case: Case, manager: User) -> None:
    at = case.created_at + timedelta(hours=1)
    ref = case.reference
    _stages(case, manager, at, case.owner or manager)
    services.award_request(
        actor=manager,
        reference=ref,
        kind="goodwill",
        basis="goodwill",
        amount="25.00",
        note="For the inconvenience",
        now=at,
    )
    services.complaint_record_outcome(
        actor=manager,
        reference=ref,
        outcome="upheld",
        outcome_text=(
            "We upheld your complaint. The team concerned has been retrained and we have sent a gesture of goodwill."
        ),
        customer_response="accepted",
        root_cause="staff-conduct",
        now=at,
    )
    services.final_response_send(actor=manager, reference=ref, now=case.resolved_at or at)
