"""Feedback pages: the public survey form, dashboards per role with CSV, follow-ups, imports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from rapport.feedback import rollup, services
from rapport.feedback.models import FeedbackSettings, FollowUp, Order, SurveyAnswer, SurveyInvitation
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems


@pytest.fixture
def invitation(case, resolve):
    FeedbackSettings.objects.create(delay_minutes=0)
    resolve(case, timezone.now())
    return SurveyInvitation.objects.get(case=case, kind="csat")


def test_the_survey_link_needs_no_sign_in_and_takes_one_answer(invitation, client: Client):
    url = services.survey_url(invitation)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"How did we do with case {invitation.case.reference}?" in html
    assert page_problems(html) == []
    done = client.post(url, {"score": "5", "comment": "Lovely"})
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    again = client.post(url, {"score": "1"})
    assert again.status_code == 409
    assert SurveyAnswer.objects.get().score == 5


def test_a_missing_score_re_renders_the_form_with_the_message(invitation, client: Client):
    page = client.post(services.survey_url(invitation), {"comment": "Hmm"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "Choose a score." in html
    assert "error-summary" in html
    assert "Hmm" in html
    assert page_problems(html) == []
    assert not SurveyAnswer.objects.exists()


def test_a_tampered_link_is_a_plain_not_found(invitation, client: Client):
    url = services.survey_url(invitation)
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_an_expired_link_says_so(invitation, client: Client):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    page = client.get(services.survey_url(invitation))
    assert page.status_code == 410
    assert str(services.EXPIRED) in page.content.decode()


@pytest.mark.parametrize("who", ["agent", "team_leader", "manager"])
def test_dashboards_for_each_role_are_accessible(request, who, case, resolve):
    resolve(case, timezone.now())
    rollup.rollup_rebuild(now=timezone.now())
    client = signed_in(request.getfixturevalue(who))
    page = client.get("/feedback/")
    assert page.status_code == 200
    html = page.content.decode()
    assert page_problems(html) == []
    assert '<svg viewBox="0 0 720 240" role="img"' in html
    assert "SLA attainment" in html
    assert "not measured" in html
    heading = {"agent": "My service figures", "team_leader": "Team service figures", "manager": "Service figures"}
    assert f"<h1>{heading[who]}</h1>" in html


def test_the_manager_sees_each_day_and_can_download_it(manager, case, resolve, now):
    resolve(case, now)
    rollup.rollup_rebuild(now=now)
    client = signed_in(manager)
    period = "start=2026-03-01&end=2026-03-07"
    summary = client.get(f"/feedback/?{period}&csv=summary")
    assert summary["Content-Type"].startswith("text/csv")
    lines = summary.content.decode().splitlines()
    assert lines[0] == "measure,this period,previous period"
    assert lines[1] == "Cases raised,1,0"
    daily = client.get(f"/feedback/?{period}&csv=daily").content.decode().splitlines()
    assert daily[0] == "day,raised,resolved"
    assert daily[1].endswith(",1,1")


def test_bad_filters_are_explained(manager_client):
    page = manager_client.get("/feedback/?start=2026-03-10&end=2026-03-01")
    assert page.status_code == 400
    html = page.content.decode()
    assert "The end date must be after the start date." in html
    assert page_problems(html) == []


def test_customers_and_strangers_cannot_see_dashboards(customer_client, client: Client):
    assert customer_client.get("/feedback/").status_code == 404
    assert client.get("/feedback/").status_code == 302


def test_follow_up_page_for_team_leaders(invitation, team_leader, agent, django_capture_on_commit_callbacks):
    services.survey_answer(token=services.survey_token(invitation), score=1, comment="Slow", now=timezone.now())
    assert signed_in(agent).get("/feedback/follow-ups/").status_code == 404
    client = signed_in(team_leader)
    page = client.get("/feedback/follow-ups/")
    html = page.content.decode()
    assert "Low CSAT score: 1 out of 5" in html
    assert page_problems(html) == []
    follow_up = FollowUp.objects.get()
    refused = client.post("/feedback/follow-ups/", {"follow_up": follow_up.pk, "outcome": ""})
    assert refused.status_code == 422
    assert "Say what was done." in refused.content.decode()
    done = client.post("/feedback/follow-ups/", {"follow_up": follow_up.pk, "outcome": "Called back"})
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_orders_import_page_for_managers(manager, agent, customer):
    assert signed_in(agent).get("/feedback/orders/import/").status_code == 404
    client = signed_in(manager)
    csv_text = (
        "customer_email,reference,placed_at,amount\n"
        "alice@example.com,A-1,2026-01-05,120.50\n"
        "nobody@example.com,A-2,2026-01-05,10\n"
        "alice@example.com,A-3,yesterday,10\n"
    )
    page = client.post("/feedback/orders/import/", {"file": SimpleUploadedFile("orders.csv", csv_text.encode())})
    html = page.content.decode()
    assert "1 order added" in html
    assert "no customer with email nobody@example.com" in html
    assert "line 4: placed_at" in html
    assert Order.objects.get().amount_pence == 12050


def test_chain_page_for_managers(manager_client, agent_client):
    assert agent_client.get("/feedback/chain/").status_code == 404
    page = manager_client.get("/feedback/chain/")
    assert page.status_code == 200
    assert page_problems(page.content.decode()) == []
    # the staff's voice comes from the pulse (extensions.staff_voice) when an app provides it
    assert manager_client.get("/feedback/chain/?csv=chain").content.decode().startswith("group,staff eNPS (pulse)")
    assert "Staff voice (pulse eNPS, -100 to 100)" in page.content.decode()


def test_the_customer_page_shows_value_tier_and_history(agent_client, customer, now):
    from rapport.feedback.models import LoyaltyTier

    LoyaltyTier.objects.create(name="gold", label="Gold", threshold_pence=10_000, benefits="Priority SLA")
    services.orders_import(
        actor=None,
        rows=[{"customer_email": "alice@example.com", "reference": "X1", "placed_at": "2026-01-01", "amount": "900"}],
        now=timezone.now(),
    )
    customer.refresh_from_db()
    assert customer.tier == "gold"
    page = agent_client.get(f"/customers/{customer.pk}/")
    html = page.content.decode()
    assert "Value and loyalty" in html
    assert "Gold (Priority SLA)" in html
    assert "X1" in html


def test_customers_find_their_open_surveys_in_the_portal(invitation, customer_client, other_customer, now):
    services.invitations_dispatch(now=timezone.now())
    page = customer_client.get("/feedback/my-surveys/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"about case {invitation.case.reference}" in html
    assert services.survey_url(SurveyInvitation.objects.get(pk=invitation.pk)) in html
    assert page_problems(html) == []
    stranger = signed_in(other_customer.user).get("/feedback/my-surveys/")
    assert invitation.case.reference not in stranger.content.decode()


def test_the_follow_up_list_costs_the_same_queries_for_one_or_many(
    team_leader, customer, agent, team, resolve, django_assert_num_queries, now
):
    from rapport.cases.services import case_create

    def low_scores(count):
        for i in range(count):
            made = case_create(
                actor=agent, customer=customer, subject=f"S{i}", body="b", channel="email", team=team, now=now
            )
            resolve(made, now)
            invitation = SurveyInvitation.objects.get(case=made, kind="csat")
            services.survey_answer(token=services.survey_token(invitation), score=1, now=now)

    client = signed_in(team_leader)
    low_scores(1)
    client.get("/feedback/follow-ups/")
    with django_assert_num_queries(4) as one:
        client.get("/feedback/follow-ups/")
    low_scores(3)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/feedback/follow-ups/")
    assert page.content.decode().count("Low CSAT score") == 4


def test_the_demo_fills_surveys_orders_and_rollups(case, resolve, now):
    from rapport.feedback.demo import seed_feedback_demo
    from rapport.feedback.models import CaseFact, LoyaltyTier, StaffMeasure

    resolve(case, now)
    SurveyInvitation.objects.all().delete()
    seed_feedback_demo(now)
    assert LoyaltyTier.objects.count() == 2
    assert StaffMeasure.objects.exists()
    assert SurveyAnswer.objects.filter(kind="nps").exists()
    assert CaseFact.objects.count() == 1


def test_csv_cells_that_look_like_formulas_are_quoted():
    from rapport.feedback.views import _csv

    body = _csv("x", ["a", "b", "c", "d"], [("=HYPERLINK(1)", "", "-1.5", "+44")]).content.decode()
    assert body.splitlines()[1] == "'=HYPERLINK(1),,-1.5,+44"
