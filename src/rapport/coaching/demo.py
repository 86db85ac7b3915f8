"""Demo coaching data for the front line: team and personal targets, two coaching sessions with
Priya (linked to her cases and a learning unit, with actions agreed, one done), last quarter's
appraisal signed by both, and last month's staff pulse answered by everyone (whole-service results
shown; teams under five people hidden)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, Role, Team, User
from rapport.cases.models import Case
from rapport.coaching import selectors, services
from rapport.coaching.models import Target

SEED = 20
TEAM_TARGETS = (
    ("first_response_hours", "4", "Service standard: a first reply within four working hours."),
    (extensions.SLA_ATTAINMENT, "90", "Customer charter: nine in ten cases resolved within their SLA."),
    ("csat", "85", "Keep CSAT at the level customers rated us last year."),
    ("fcr", "70", "Fewer repeat contacts: resolve more at the first contact."),
    (extensions.QA_SCORE, "80", "Quality scorecard: behaviours the training teaches, applied."),
    (extensions.ROTA_ADHERENCE, "90", "Cover the phones when the forecast says customers call."),
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=selectors.LONDON)


def seed(*, now: datetime) -> None:
    if Target.objects.exists():
        return
    leader = User.objects.filter(role=Role.TEAM_LEADER, email__startswith="leader@").first()
    team = Team.objects.filter(name="Front line").first()
    agent = User.objects.filter(role=Role.AGENT, email__startswith="agent@").first()
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    if leader is None or team is None or agent is None or manager is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    today = selectors.local_day(now)
    quarter_start = today - timedelta(days=90)
    for kpi, value, reason in TEAM_TARGETS:
        if kpi in extensions.kpi_sources:
            services.target_set(
                actor=leader,
                kpi=kpi,
                value=value,
                team_id=team.pk,
                reason=reason,
                now=now,
                starts_on=quarter_start,
                ends_on=today + timedelta(days=90),
            )
    services.target_set(
        actor=leader,
        kpi="fcr",
        value="75",
        agent_id=agent.pk,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        now=now,
        reason="Agreed in coaching: Priya is ready to resolve billing queries without passing them on.",
    )
    _sessions(leader, agent, today, now)
    _appraisal(leader, agent, today, now)
    _pulse(manager, today, rng)


def _sessions(leader: User, agent: User, today: date, now: datetime) -> None:
    cases = list(Case.objects.filter(owner=agent).order_by("-created_at").values_list("pk", flat=True)[:2])
    units = extensions.work_links_for(leader, extensions.LEARNING_UNIT_LINK, list(range(1, 6)))
    links = [(extensions.CASE_LINK, pk) for pk in cases]
    if units:
        links.append((extensions.LEARNING_UNIT_LINK, min(units)))
    first = services.session_create(
        actor=leader,
        agent_id=agent.pk,
        held_on=today - timedelta(days=20),
        topic="Handling a complaint about a late refund",
        notes=(
            "Listened back to the call together. Priya acknowledged the customer's frustration well and gave a "
            "date for the refund. We agreed she would name herself as the owner in writing and use the HEAT "
            "steps in the reply, and check the refund policy wording before quoting it."
        ),
        follow_up_on=today - timedelta(days=6),
        links=links[:2],
        actions=[
            services.ActionIn(
                "Re-read the complaints unit on HEAT and write one practice answer",
                agent.pk,
                today - timedelta(days=10),
            ),
            services.ActionIn(
                "Share the refund timescales article with the team", leader.pk, today - timedelta(days=8)
            ),
        ],
        now=_at(today - timedelta(days=20)),
    )
    for action in first.actions.all():
        services.action_done(actor=action.owner, action_id=action.pk, now=_at(action.due_on - timedelta(days=1)))  # type: ignore[operator]
    services.session_create(
        actor=leader,
        agent_id=agent.pk,
        held_on=today - timedelta(days=5),
        topic="First contact resolution on billing queries",
        notes="Three billing queries went to the back office that Priya could have resolved with the direct debit"
        " guide.",
        follow_up_on=today + timedelta(days=9),
        links=links[2:] or links[:1],
        actions=[
            services.ActionIn("Shadow Amira in Billing for a morning", agent.pk, today + timedelta(days=2)),
            services.ActionIn("Book the direct debit refresher", leader.pk, today + timedelta(days=7)),
        ],
        now=_at(today - timedelta(days=5)),
    )


def _appraisal(leader: User, agent: User, today: date, now: datetime) -> None:
    ends = today - timedelta(days=2)
    appraisal = services.appraisal_create(
        actor=leader,
        agent_id=agent.pk,
        starts_on=ends - timedelta(days=89),
        ends_on=ends,
        now=_at(today - timedelta(days=1)),
    )
    services.appraisal_comment(
        actor=leader,
        appraisal_id=appraisal.pk,
        now=_at(today - timedelta(days=1), 11),
        comment="A strong quarter: customers say Priya is clear and kind. "
        "Next: resolve more billing queries first time.",
    )
    services.appraisal_comment(
        actor=agent,
        appraisal_id=appraisal.pk,
        now=_at(today - timedelta(days=1), 14),
        comment="I agree. I'd like the billing shadowing to happen before the price rise letters go out.",
    )
    services.appraisal_sign(actor=agent, appraisal_id=appraisal.pk, now=_at(today - timedelta(days=1), 14))
    services.appraisal_sign(actor=leader, appraisal_id=appraisal.pk, now=_at(today - timedelta(days=1), 15))


def _pulse(manager: User, today: date, rng: random.Random) -> None:
    closes = today - timedelta(days=10)
    past = services.pulse_round_open(
        actor=manager,
        title=f"Staff pulse, {closes:%B %Y}",
        opens_on=closes - timedelta(days=13),
        closes_on=closes,
        now=_at(closes - timedelta(days=14)),
    )
    staff = list(User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("id"))
    for person in staff:
        services.pulse_answer(
            actor=person,
            round_id=past.pk,
            now=_at(closes - timedelta(days=rng.randint(0, 12))),
            recommend=rng.choices(range(11), weights=[1, 1, 1, 1, 2, 3, 5, 9, 11, 8, 6])[0],
            tools=rng.choices(range(1, 6), weights=[1, 3, 4, 8, 4])[0],
            training=rng.choices(range(1, 6), weights=[1, 2, 3, 9, 5])[0],
            workload=rng.choices(range(1, 6), weights=[3, 6, 5, 5, 2])[0],
        )
    services.pulse_round_open(
        actor=manager,
        title=f"Staff pulse, {today:%B %Y}",
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=12),
        now=_at(today - timedelta(days=3)),
    )
