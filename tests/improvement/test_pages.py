"""The improvement pages: staff see, team leaders and managers create; constant queries on lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.improvement import services
from rapport.improvement.models import Evidence, Initiative, Suggestion
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/improvement/",
    "/improvement/gaps/",
    "/improvement/initiatives/",
    "/improvement/standards/",
    "/improvement/journey/",
    "/improvement/rules/",
    "/improvement/tone/",
    "/improvement/kpis/",
]


@pytest.mark.parametrize("path", PAGES)
def test_staff_see_every_page_and_customers_do_not(path, agent, customer_user):
    assert signed_in(agent).get(path).status_code == 200
    assert signed_in(customer_user).get(path).status_code == 404


def test_an_agent_suggests_but_cannot_create_an_initiative(agent):
    client = signed_in(agent)
    response = client.post(
        "/improvement/suggestions/", {"text": "Customers ask the same thing twice.", "touchpoint": "resolution"}
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().author == agent
    assert client.get("/improvement/initiatives/new/").status_code == 404
    assert client.post("/improvement/initiatives/new/", {"title": "x"}).status_code == 404


def test_an_empty_suggestion_is_refused_with_its_message(agent):
    response = signed_in(agent).post("/improvement/suggestions/", {"text": ""})
    assert response.status_code == 422
    assert Suggestion.objects.count() == 0


def test_a_manager_creates_an_initiative_from_a_gap_on_the_page(manager, seed_cases):
    now = datetime.now(UTC)
    seed_cases(12, now - timedelta(days=2))
    client = signed_in(manager)
    gaps_page = client.get("/improvement/gaps/").content.decode()
    assert "Customers contacting us again within 7 days" in gaps_page
    assert "gap=improvement/repeat_contacts" in gaps_page

    form = client.get("/improvement/initiatives/new/?gap=improvement/repeat_contacts")
    assert "The gap it answers" in form.content.decode()
    response = client.post(
        "/improvement/initiatives/new/?gap=improvement/repeat_contacts",
        {
            "gap": "improvement/repeat_contacts",
            "title": "Stop repeat contacts",
            "problem": "Customers call back.",
            "owner": manager.pk,
            "scope_dimension": "service",
            "baseline_days": 28,
            "check_on": "2030-01-01",
            "one_off_cost": "1000",
            "monthly_cost": "0",
            "monthly_saving": "250",
            "monthly_redress_avoided": "0",
            "monthly_hours_saved": "0",
            "hourly_cost": "18",
            "monthly_value_retained": "0",
            "staff_hours": "10",
            "months": 24,
            "annual_discount_rate": "0.035",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/improvement/initiatives/{initiative.pk}/"
    assert Evidence.objects.get(initiative=initiative).kind == "gap"
    detail = client.get(response["Location"]).content.decode()
    assert "Stop repeat contacts" in detail
    assert "4.0 months" in detail  # payback of 1,000 at 250 a month


def test_a_bad_initiative_form_says_what_is_missing(manager):
    response = signed_in(manager).post("/improvement/initiatives/new/", {"title": ""})
    assert response.status_code == 422
    assert Initiative.objects.count() == 0


def test_parts_are_added_and_the_check_is_read_on_the_page(manager, initiative, seed_cases):
    change = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    seed_cases(100, change - timedelta(days=10), complaints=40)
    seed_cases(100, change + timedelta(days=3), complaints=10)
    client = signed_in(manager)
    base = f"/improvement/initiatives/{initiative.pk}"
    bad = client.post(
        f"{base}/add/requirement/",
        {
            "requirement-text": "Refunds",
            "requirement-origin": "internal",
            "requirement-category": "legislation",
            "requirement-obligation": "mandatory",
        },
    )
    assert bad.status_code == 422
    assert "An internal requirement is one of" in bad.content.decode()
    services.stage_move(actor=manager, initiative=initiative, now=change, change_at=change)
    assert client.post(f"{base}/add/kpi/", {"kpi-kpi": "complaint_rate", "kpi-target": "15"}).status_code == 302
    assert client.post(f"{base}/check/").status_code == 302

    page = client.get(f"{base}/").content.decode()
    assert "Improved</span>" in page
    assert "100 before, 100 after" in page
    assert "Change went live" in page  # the change-point on the chart
    proposal = client.get(f"{base}/proposal/").content.decode()
    for heading in (
        "1. The gap and its evidence",
        "2. Requirements",
        "5. Resources and cost",
        "8. KPIs and how success",
    ):
        assert heading in proposal
    pdf = client.get(f"{base}/proposal.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv = client.get("/improvement/initiatives.csv")
    assert b"complaint_rate" in csv.content


def test_the_initiative_list_costs_the_same_queries_for_many(manager, django_assert_num_queries, now):
    client = signed_in(manager)
    for i in range(3):
        services.initiative_create(
            actor=manager, now=now, fields={"title": f"I{i}", "problem": "p", "check_on": date(2026, 4, 1)}
        )
    client.get("/improvement/initiatives/")
    with django_assert_num_queries(3) as few:  # the session, the user, the page of initiatives
        client.get("/improvement/initiatives/")
    for i in range(10):
        services.initiative_create(
            actor=manager, now=now, fields={"title": f"J{i}", "problem": "p", "check_on": date(2026, 4, 1)}
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/improvement/initiatives/")


def test_the_learning_module_links_to_real_initiative_pages(manager, initiative):
    from rapport.learning.forms import EvidenceForm

    assert "/improvement/initiatives/" in str(EvidenceForm.base_fields["link"].help_text)
    assert signed_in(manager).get(f"/improvement/initiatives/{initiative.pk}/").status_code == 200
