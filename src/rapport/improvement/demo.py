"""Demo data for continuous improvement, built from the demo's own evidence: the brand promise, its
tone-of-voice guide and standards at each touchpoint (promises kept among them), rules kept by hand
(one overdue for review), two suggestions from the front line, and three initiatives made from the
largest gaps the analysis finds in the demo's cases — two mid-cycle (one at Plan, one at Do) and
one checked on its check date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from rapport.accounts.models import Role, User
from rapport.improvement import gaps, services
from rapport.improvement.models import Initiative

STANDARDS = (
    (
        "first_contact",
        "Help is easy to reach by phone, email, chat and the portal",
        "Greet by name; confirm what happens next",
        "complaint_rate",
        10.0,
        5.0,
    ),
    (
        "first_reply",
        "A first reply within one working day, in plain English",
        "Plain speaking: no jargon, one clear next step",
        "first_response_hours",
        8.0,
        4.0,
    ),
    (
        "handoff",
        "Back-office teams pick up a hand-off within their OLA",
        "Pass the whole story on so the customer never repeats it",
        "sla_attainment",
        95.0,
        5.0,
    ),
    (
        "resolution",
        "Put right first time: the customer does not have to come back",
        "Check the fix with the customer before closing",
        "repeat_contact_rate",
        10.0,
        5.0,
    ),
    ("follow_up", "Reopened cases are rare", "Close only when the customer agrees it is done", "reopen_rate", 5.0, 3.0),
    ("survey", "Customers say they were satisfied", "Ask how we did; act on what they say", "csat", 85.0, 5.0),
    (
        "updates",
        "We tell you when you will hear from us, and we keep to it",
        "Give a day and a time; if it will slip, say so before it does",
        "promises_kept",
        90.0,
        5.0,
    ),
)

TONE = (
    ("utilise", "avoid", "use", "Plain speaking: the short word says the same."),
    ("going forward", "avoid", "from now on", "Plain speaking: say when."),
    ("as soon as possible", "avoid", "by 1pm on Friday (a day and a time)", "We tell you what to expect."),
    ("unfortunately there is nothing we can do", "avoid", "here is what we can do", "Put it right first time."),
    ("per our policy", "avoid", "the rule is … because …", "Plain speaking: explain the rule and why."),
    ("apologise for any inconvenience", "avoid", "I'm sorry that …", "Own it: say sorry for what happened."),
    ("I will", "prefer", "", "Own it: one person sees it through."),
    ("sorry", "prefer", "", "Own it: a person says sorry and means it."),
)

VALUES = (
    "Put it right first time",
    "Plain speaking",
    "Own it: one person sees it through",
    "Treat every customer fairly",
)

RULES = (
    (
        "Consumer Rights Act 2015: repair or replacement, then price reduction or final right to reject",
        "legislation",
        "Consumer Rights Act 2015 ss.19-24",
        True,
        180,
    ),
    (
        "UK GDPR: respond to subject access requests within one month",
        "legislation",
        "UK GDPR Art 12(3) and Art 15; DPA 2018",
        True,
        120,
    ),
    (
        "Equality Act 2010: reasonable adjustments at every touchpoint",
        "legislation",
        "Equality Act 2010 s.20 and s.29",
        True,
        -10,
    ),
    (
        "Complaint handling: final response within eight weeks, then the ombudsman",
        "regulator",
        "FCA DISP 1.6.2R",
        True,
        60,
    ),
    ("Goodwill gestures policy", "policy", "Customer Service Policy v4, section 3", False, 30),
)


def _manager() -> User | None:
    return User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()


def seed_improvement_demo(now: datetime) -> None:
    manager = _manager()
    if manager is None or Initiative.objects.exists():
        return
    leader = User.objects.filter(role=Role.TEAM_LEADER, is_active=True).order_by("id").first() or manager
    agent = User.objects.filter(role=Role.AGENT, is_active=True).order_by("id").first() or manager
    services.brand_promise_save(
        actor=manager,
        now=now - timedelta(days=60),
        promise="We put it right first time, and we tell you what to expect.",
        values="\n".join(VALUES),
    )
    for touchpoint, expectation, behaviour, kpi, target, amber in STANDARDS:
        services.standard_save(
            actor=manager,
            now=now - timedelta(days=60),
            touchpoint=touchpoint,
            expectation=expectation,
            behaviour=behaviour,
            kpi=kpi,
            target=target,
            amber_within=amber,
        )
    for phrase, advice, instead, reason in TONE:
        services.tone_entry_save(
            actor=manager, now=now - timedelta(days=60), phrase=phrase, advice=advice, instead=instead, reason=reason
        )
    for title, kind, source, mandatory, review_in in RULES:
        services.rule_save(
            actor=manager,
            now=now - timedelta(days=90),
            fields={
                "title": title,
                "kind": kind,
                "source": source,
                "mandatory": mandatory,
                "owner": manager,
                "review_on": now.date() + timedelta(days=review_in),
            },
        )
    services.suggestion_create(
        actor=agent,
        now=now - timedelta(days=4),
        touchpoint="updates",
        text="Customers ring to ask where their refund is. A text when it is sent would save most of those calls.",
    )
    services.suggestion_create(
        actor=agent,
        now=now - timedelta(days=2),
        touchpoint="handoff",
        text="When billing sends a case back they do not say what they checked, so we ask the customer again.",
    )

    scope = gaps.gap_scope("service", "", now - timedelta(days=28), now)
    found = gaps.analyse(scope, limit=3)
    if not found:
        return
    checked = _initiative(manager, leader, now, found[0], change_days=30, check_days=-1)
    services.check_run(initiative=checked, now=now, automatic=True)
    checked.refresh_from_db()
    if len(found) > 1:
        _initiative(manager, leader, now, found[1], change_days=9, check_days=19)
    if len(found) > 2:
        _initiative(leader, leader, now, found[2], change_days=None, check_days=45)


def _initiative(
    actor: User, owner: User, now: datetime, gap: gaps.Gap, *, change_days: int | None, check_days: int
) -> Initiative:
    """An initiative from ``gap``: at Plan when ``change_days`` is None, else live since that many
    days ago (at Do), with the check date ``check_days`` from now."""
    created = now - timedelta(days=(change_days or 0) + 7)
    initiative = services.initiative_create(
        actor=actor,
        now=created,
        gap=gap,
        fields={
            "title": f"Close the gap: {gap.evidence.title[:150]}",
            "problem": f"{gap.evidence.title}. {gap.evidence.why} The gap analysis ranks it {gap.rank}: {gap.why}.",
            "proposal": "Change the procedure at this touchpoint, brief the front line, and measure the effect.",
            "owner": owner,
            "responsible": "Front-line team leader; back-office supervisor",
            "check_on": (now + timedelta(days=check_days)).date(),
            "one_off_cost": Decimal("4800.00"),
            "monthly_cost": Decimal("150.00"),
            "monthly_saving": Decimal("400.00"),
            "monthly_redress_avoided": Decimal("350.00"),
            "monthly_hours_saved": Decimal("30.0"),
            "hourly_cost": Decimal("18.50"),
            "monthly_value_retained": Decimal("200.00"),
            "staff_hours": Decimal("60.0"),
            "systems": "Rapport macros and knowledge articles",
        },
    )
    services.requirement_add(
        actor=actor,
        initiative=initiative,
        now=created,
        text="Treat customers fairly and resolve complaints promptly",
        origin="external",
        category="regulator",
        obligation="mandatory",
        citation="FCA DISP 1.4.1R",
    )
    services.requirement_add(
        actor=actor,
        initiative=initiative,
        now=created,
        text="Staff trained on the new procedure",
        origin="internal",
        category="staff_training",
        obligation="best_practice",
    )
    services.requirement_add(
        actor=actor,
        initiative=initiative,
        now=created,
        text="Customers expect to be told what happens next",
        origin="external",
        category="customer_expectations",
        obligation="best_practice",
    )
    services.stakeholder_add(
        actor=actor,
        initiative=initiative,
        now=created,
        group="customers",
        how="Fewer repeat contacts and clearer updates.",
    )
    services.stakeholder_add(
        actor=actor,
        initiative=initiative,
        now=created,
        group="front_line",
        how="A new checklist at the end of each call.",
    )
    services.stakeholder_add(
        actor=actor, initiative=initiative, now=created, group="back_office", how="Hand-offs carry the whole story."
    )
    services.risk_add(
        actor=actor,
        initiative=initiative,
        now=created,
        text="Longer calls while staff learn the checklist",
        mitigation="Coaching in the first two weeks",
    )
    change_on: date = (now - timedelta(days=change_days or 0)).date()
    services.milestone_add(
        actor=actor,
        initiative=initiative,
        now=created,
        title="Brief the front line",
        due_on=change_on - timedelta(days=2),
        owner=owner,
    )
    services.milestone_add(
        actor=actor,
        initiative=initiative,
        now=created,
        title="Review the first fortnight",
        due_on=change_on + timedelta(days=14),
        owner=owner,
    )
    kpi = {
        "improvement": "repeat_contact_rate",
        "sla": "sla_attainment",
        "complaints": "complaint_rate",
        "low_scores": "csat",
        "rater": "csat",
    }.get(gap.provider, "repeat_contact_rate")
    kpis = dict.fromkeys([kpi, "complaint_rate"])
    if change_days is not None:
        services.stage_move(
            actor=actor,
            initiative=initiative,
            now=now - timedelta(days=change_days),
            change_at=now - timedelta(days=change_days),
        )
        for milestone in initiative.milestones.filter(due_on__lt=now.date()):
            services.milestone_done(actor=actor, milestone=milestone, now=now - timedelta(days=change_days))
    for name in kpis:
        target = 95.0 if name in ("sla_attainment", "csat") else 10.0
        services.kpi_add(
            actor=actor, initiative=initiative, now=now - timedelta(days=change_days or 0), kpi=name, target=target
        )
    return initiative
