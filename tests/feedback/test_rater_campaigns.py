"""Sending RATER questionnaires to a group: segments, skip reasons, the bulk path and the sends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.feedback import audiences, rollup, services
from rapport.feedback.audiences import Audience
from rapport.feedback.models import (
    FeedbackSettings,
    InvitationStatus,
    LoyaltyTier,
    RaterCampaign,
    SurveyInvitation,
    SurveyKind,
)
from rapport.platform.errors import FieldError, Forbidden
from rapport.privacy import rights
from rapport.privacy.services import consent_record, data_request_create


def _customer(name: str, now, **fields) -> Customer:
    fields.setdefault("email", f"{name.lower().replace(' ', '.')}@example.com")
    return Customer.objects.create(name=name, created_at=now, updated_at=now, **fields)


def _case(customer, team, now, *, resolved=None) -> Case:
    return Case.objects.create(
        customer=customer,
        subject="Help",
        team=team,
        channel="email",
        created_at=now,
        updated_at=now,
        status="resolved" if resolved else "open",
        resolved_at=resolved,
    )


@pytest.fixture
def crowd(now, manager):
    """One customer for each way of being skipped, and two who may be asked."""
    people = {
        "ready": _customer("Ready Reader", now),
        "also": _customer("Also Ready", now, kind="colleague"),
        "erased": _customer("Erased Person", now, erased_at=now),
        "no_email": _customer("No Email", now, email=""),
        "opted_out": _customer("Opted Out", now),
        "recent": _customer("Recently Asked", now),
        "long_ago": _customer("Asked Long Ago", now),
    }
    consent_record(
        actor=manager,
        customer=people["opted_out"],
        purpose="survey",
        channel="email",
        granted=False,
        method="phone call",
        wording="No more surveys, please.",
        now=now - timedelta(days=5),
    )
    for key, days in (("recent", 30), ("long_ago", 120)):
        SurveyInvitation.objects.create(
            kind=SurveyKind.RATER,
            customer=people[key],
            status=InvitationStatus.SENT,
            created_at=now - timedelta(days=days),
            send_after=now - timedelta(days=days),
            expires_at=now - timedelta(days=days - 14),
        )
    return people


def _everyone(crowd) -> Audience:
    return Audience(customer_ids=tuple(c.pk for c in crowd.values()))


def test_preview_counts_who_would_be_asked_and_who_is_skipped_why(crowd, manager, now):
    customers = audiences.audience_customers(manager, _everyone(crowd))
    found = audiences.preview(customers, now=now, within_days=90)
    assert (found.matched, found.asked) == (7, 3)  # ready, also, and the one asked 120 days ago
    assert [(reason, n) for reason, _label, n in found.skipped] == [
        ("erased", 1),
        ("no_email", 1),
        ("opted_out", 1),
        ("recently_asked", 1),
    ]
    longer = audiences.preview(customers, now=now, within_days=150)
    assert longer.asked == 2
    assert dict((r, n) for r, _l, n in longer.skipped)["recently_asked"] == 2


def test_a_person_whose_processing_is_restricted_is_not_asked(crowd, manager, agent, customer_user, customer, now):
    request = data_request_create(actor=customer_user, customer=customer, kind="restriction", now=now)
    rights.restriction_grant(
        actor=agent, reference=request.case.reference, ground="accuracy", reason="Checking her address", now=now
    )
    group = Audience(customer_ids=(*(c.pk for c in crowd.values()), customer.pk))
    found = audiences.preview(audiences.audience_customers(manager, group), now=now, within_days=90)
    assert (found.matched, found.asked) == (8, 3)
    assert dict((r, n) for r, _l, n in found.skipped)["restricted"] == 1


def test_a_send_invites_who_may_be_asked_and_records_the_campaign(
    crowd, manager, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        campaign, _counts = services.rater_campaign_send(
            actor=manager, audience=_everyone(crowd), name="Spring check", within_days=90, now=now
        )
    assert len(queued) == 1  # the dispatch job, once the send is committed
    invited = SurveyInvitation.objects.filter(campaign=campaign)
    assert sorted(i.customer_id for i in invited) == sorted(crowd[k].pk for k in ("ready", "also", "long_ago"))
    assert all((i.kind, i.status, i.send_after, i.case_id) == ("rater", "scheduled", now, None) for i in invited)
    assert all(i.expires_at == now + timedelta(days=FeedbackSettings.current().expiry_days) for i in invited)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.sent_by, campaign.sent_at) == ("Spring check", manager, now)
    assert (campaign.matched, campaign.invited) == (7, 3)
    assert campaign.skipped == {"erased": 1, "no_email": 1, "opted_out": 1, "recently_asked": 1}
    assert campaign.audience_label == "7 chosen customers"
    # Sending again at once asks nobody: everyone asked is now "already asked".
    again, _ = services.rater_campaign_send(actor=manager, audience=_everyone(crowd), now=now)
    assert again.invited == 0
    assert again.skipped["recently_asked"] == 4


def test_the_dispatch_job_emails_the_campaign(crowd, manager, now, dispatch):
    _campaign, _ = services.rater_campaign_send(actor=manager, audience=_everyone(crowd), now=now)
    assert dispatch(now)["sent"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(crowd[k].email for k in ("ready", "also", "long_ago"))
    assert "expected and what you got" in mail.outbox[0].body


def _send_queries(manager, now, n: int) -> int:
    people = [_customer(f"Bulk {n} {i}", now) for i in range(n)]
    with CaptureQueriesContext(connection) as captured:
        campaign, _ = services.rater_campaign_send(
            actor=manager, audience=Audience(customer_ids=tuple(p.pk for p in people)), now=now
        )
    assert campaign.invited == n
    return len(captured)


def test_a_send_costs_the_same_queries_for_any_group_size(manager, now):
    small = _send_queries(manager, now, 3)
    big = _send_queries(manager, now, 400)  # more than one bulk_create batch on SQLite
    assert small == big
    assert big <= 10, big


@pytest.fixture
def segments(now, team, other_team):
    gold = LoyaltyTier.objects.create(name="gold", label="Gold", threshold_pence=100_000)
    people = {
        "gold": _customer("Gold Customer", now, tier=gold.name),
        "internal": _customer("Internal Colleague", now, kind="department"),
        "resolved_march": _customer("Resolved In March", now),
        "other_team": _customer("Other Team Customer", now),
    }
    _case(people["resolved_march"], team, now, resolved=now + timedelta(days=3))
    _case(people["gold"], team, now, resolved=now - timedelta(days=60))
    _case(people["other_team"], other_team, now, resolved=now + timedelta(days=3))
    rollup.rollup_rebuild(now=now + timedelta(days=4))
    return people


def _names(actor, audience: Audience) -> set[str]:
    return set(audiences.audience_customers(actor, audience).values_list("name", flat=True))


def test_segments_choose_the_customers_they_name(segments, manager, team, other_team):
    assert _names(manager, Audience(group="internal")) == {"Internal Colleague"}
    assert "Internal Colleague" not in _names(manager, Audience(group="external"))
    assert _names(manager, Audience(tier="gold")) == {"Gold Customer"}
    march = Audience(resolved_from=date(2026, 3, 1), resolved_to=date(2026, 3, 31))
    assert _names(manager, march) == {"Resolved In March", "Other Team Customer"}
    assert _names(
        manager, Audience(resolved_from=date(2026, 3, 1), resolved_to=date(2026, 3, 31), team_id=team.pk)
    ) == {"Resolved In March"}
    assert _names(manager, Audience(team_id=team.pk)) == {"Resolved In March", "Gold Customer"}
    assert _names(manager, Audience(team_id=other_team.pk, tier="gold")) == set()


def test_a_team_leader_reaches_only_their_teams_customers(segments, team_leader, other_team, now):
    assert _names(team_leader, Audience(group="external")) == {"Resolved In March", "Gold Customer"}
    with pytest.raises(FieldError) as refused:
        services.rater_campaign_send(
            actor=team_leader, audience=Audience(customer_ids=(segments["other_team"].pk,)), now=now
        )
    assert "customer_ids" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        services.rater_campaign_send(actor=team_leader, audience=Audience(team_id=other_team.pk), now=now)
    assert "team" in refused.value.errors
    campaign, _ = services.rater_campaign_send(actor=team_leader, audience=Audience(group="external"), now=now)
    assert campaign.invited == 2


def test_agents_cannot_send(agent, customer, now):
    with pytest.raises(Forbidden):
        services.rater_campaign_send(actor=agent, audience=Audience(customer_ids=(customer.pk,)), now=now)


@pytest.mark.parametrize(
    ("audience", "within", "field"),
    [
        (Audience(), 90, "customer_ids"),
        (Audience(customer_ids=(1,), group="internal"), 90, "customer_ids"),
        (Audience(customer_ids=(999_999,)), 90, "customer_ids"),
        (Audience(group="vip"), 90, "group"),
        (Audience(tier="platinum"), 90, "tier"),
        (Audience(team_id=999_999), 90, "team"),
        (Audience(resolved_from=date(2026, 3, 1)), 90, "resolved_to"),
        (Audience(resolved_from=date(2026, 3, 9), resolved_to=date(2026, 3, 1)), 90, "resolved_to"),
        (Audience(group="external"), 0, "within_days"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(manager, customer, now, audience, within, field):
    with pytest.raises(FieldError) as refused:
        services.rater_campaign_send(actor=manager, audience=audience, within_days=within, now=now)
    assert field in refused.value.errors
    assert RaterCampaign.objects.count() == 0
    assert SurveyInvitation.objects.count() == 0


def test_the_sends_list_response_rates_and_gaps(crowd, manager, now, answer, django_assert_num_queries):
    campaign, _ = services.rater_campaign_send(actor=manager, audience=_everyone(crowd), now=now)
    SurveyInvitation.objects.filter(campaign=campaign).update(status=InvitationStatus.SENT, sent_at=now)
    first = SurveyInvitation.objects.filter(campaign=campaign).order_by("id").first()
    scores = {}
    for dimension in ("reliability", "assurance", "tangibles", "empathy", "responsiveness"):
        scores[f"{dimension}_expected"] = 6
        scores[f"{dimension}_perceived"] = 4
    answer(token=services.survey_token(first), rater=scores, now=now)
    empty, _ = services.rater_campaign_send(actor=manager, audience=Audience(group="internal"), within_days=1, now=now)
    page = list(audiences.campaigns(manager))
    with django_assert_num_queries(3):  # sends, answers, settings: whatever the page size
        rows = {r.campaign.pk: r for r in audiences.campaign_rows(page)}
    row = rows[campaign.pk]
    assert (row.emailed, row.answered) == (3, 1)
    assert row.response_rate == pytest.approx(100 / 3)
    assert row.gaps.overall == pytest.approx(-2.0)
    assert rows[empty.pk].response_rate is None
    assert rows[empty.pk].gaps.overall is None


def test_a_team_leader_lists_only_their_own_sends(crowd, manager, team_leader, now):
    services.rater_campaign_send(actor=manager, audience=_everyone(crowd), now=now)
    assert list(audiences.campaigns(team_leader)) == []
    assert audiences.campaigns(manager).count() == 1
