"""The QA report by agent, team, behaviour, channel and case type, and the link between QA scores
and CSAT, first contact resolution and reopening (an association with its interval and n)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.models import Case, CaseEvent, Message
from rapport.quality import selectors, services
from rapport.quality.models import Review
from rapport.quality.services import RatingIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(customer, team, agent, team_leader, now):
    """``reviewed(values)``: a resolved case per value, each reviewed with every behaviour at it."""

    def make(values, **fields):
        reviews = []
        for i, value in enumerate(values):
            case = Case.objects.create(
                type=fields.get("type", "enquiry"),
                status="resolved",
                channel=fields.get("channel", "email"),
                subject=f"Case {i}",
                customer=customer,
                team=team,
                owner=fields.get("owner", agent),
                created_at=now,
                updated_at=now,
                resolved_at=now + timedelta(hours=1),
            )
            Message.objects.create(case=case, kind="outbound", channel="email", body="Sorted for you.", created_at=now)
            review = services.review_start(actor=team_leader, case=case, now=now)
            ratings = {"empathy": RatingIn(value, "Seen."), "tone": RatingIn(value, "Seen.")}
            reviews.append(
                services.review_save(actor=team_leader, review=review, ratings=ratings, submit=True, now=now)
            )
        return reviews

    return make


def _period(now):
    return now - timedelta(days=1), now + timedelta(days=1)


def test_the_report_by_agent_team_channel_and_case_type(reviewed, agent, team, now, django_assert_num_queries):
    reviewed([4, 2], channel="email")
    reviewed([1], channel="phone", type="complaint")
    start, end = _period(now)
    rows = Review.objects.all()
    with django_assert_num_queries(1):
        by_agent = selectors.report(rows, "agent", start, end)
    assert [(r.key, r.n, r.score) for r in by_agent] == [(agent.pk, 3, pytest.approx((100 + 33.3 + 0) / 3, abs=0.1))]
    assert [(r.label, r.n) for r in selectors.report(rows, "team", start, end)] == [(team.name, 3)]
    by_channel = {r.key: r.score for r in selectors.report(rows, "channel", start, end)}
    assert by_channel == {"email": pytest.approx(66.7, abs=0.1), "phone": 0.0}
    assert {r.key for r in selectors.report(rows, "case_type", start, end)} == {"enquiry", "complaint"}


def test_the_report_by_behaviour_is_the_mean_rating_as_a_share_of_its_scale(reviewed, now):
    reviewed([4, 1])
    start, end = _period(now)
    rows = {r.key: (r.n, r.score) for r in selectors.report(Review.objects.all(), "behaviour", start, end)}
    assert rows == {"empathy": (2, 50.0), "tone": (2, 50.0)}


def test_drafts_and_calibrations_are_not_in_the_report(reviewed, worked_case, team_leader, now):
    reviewed([3])
    services.review_start(actor=team_leader, case=worked_case, now=now)  # a draft
    start, end = _period(now)
    assert sum(r.n for r in selectors.report(Review.objects.all(), "agent", start, end)) == 1


def test_the_link_with_csat_is_a_spearman_correlation_with_its_interval_and_n(reviewed, monkeypatch, now):
    reviews = reviewed([1, 2, 3, 4, 4, 2])
    csat = {r.case_id: score for r, score in zip(reviews, [1, 2, 4, 5, 4, 3], strict=True)}
    monkeypatch.setattr(extensions, "case_fact", lambda name, first, last: csat if name == extensions.CSAT else {})
    start, end = _period(now)
    links = {link.measure: link for link in selectors.links(Review.objects.all(), start, end)}
    found = links["csat"].result
    assert found is not None
    assert found.method == "spearman"
    assert links["csat"].n == 6
    assert 0.8 < found.r <= 1
    assert found.low < found.r < found.high
    assert "not a cause" in found.describe()


def test_reopening_and_first_contact_resolution_are_measured_per_case(reviewed, now):
    reviews = reviewed([4, 4, 1, 1, 3])
    for review in reviews[2:4]:
        CaseEvent.objects.create(
            case_id=review.case_id, at=now, kind="changed", field="status", before="resolved", after="open"
        )
    start, end = _period(now)
    links = {link.measure: link for link in selectors.links(Review.objects.all(), start, end)}
    assert links["reopened"].n == 5
    assert links["reopened"].result.r < 0  # low scores went with reopening here
    assert links["fcr"].result.r > 0


def test_no_reviews_no_links(now):
    start, end = _period(now)
    assert all(link.result is None and link.n == 0 for link in selectors.links(Review.objects.all(), start, end))
