"""Shrinkage by category, agents' skills, and handling time from message timestamps."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rapport.cases.models import Message
from rapport.cases.services import case_create
from rapport.domain import handling
from rapport.domain import shrinkage as rules
from rapport.domain.staffing import scheduled_for
from rapport.platform.errors import FieldError, Forbidden
from rapport.workforce import imports, selectors, services
from rapport.workforce.models import AgentSkill, ShrinkageChange, ShrinkageShare
from tests.api.conftest import fields

pytestmark = pytest.mark.django_db


# --- the rules ------------------------------------------------------------------------------------


def test_shrinkage_is_the_sum_of_the_categories_exactly():
    shares = {"leave": Decimal("0.12"), "sickness": 0.04, "training": "0.05", "coaching": 0.03, "meetings": 0.04}
    assert rules.total(shares) == Decimal("0.28")
    assert rules.valid_total(shares)
    assert not rules.valid_total({"leave": Decimal("0.5"), "sickness": Decimal("0.45")})
    assert not rules.valid_total({"leave": Decimal("-0.1")})


def test_reply_work_is_the_time_since_the_message_answered_capped():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    messages = [
        (start, False),  # customer writes
        (start + timedelta(minutes=6), True),  # reply: 6 minutes
        (start + timedelta(minutes=8), True),  # a second reply: 2 minutes
        (start + timedelta(hours=1), False),
        (start + timedelta(hours=20), True),  # the next morning: capped at 30 minutes
    ]
    found = handling.reply_work(messages)
    assert found == [timedelta(minutes=6), timedelta(minutes=2), timedelta(minutes=30)]
    assert handling.average_seconds(found) == (round((6 + 2 + 30) * 60 / 3), 3)
    assert handling.average_seconds([]) is None
    assert handling.reply_work([(start, True)]) == []  # answers nothing: not counted


# --- shrinkage ------------------------------------------------------------------------------------


def test_shrinkage_defaults_until_entered_then_staffing_uses_the_sum(team_leader, now):
    view = selectors.shrinkage_view()
    assert view.total == pytest.approx(0.30)
    assert {p.source for p in view.parts} == {selectors.DEFAULT}

    services.shrinkage_set(
        actor=team_leader, shares={"sickness": Decimal("0.080"), "meetings": Decimal("0.020")}, now=now
    )
    view = selectors.shrinkage_view()
    parts = {p.category: (p.share, p.source) for p in view.parts}
    assert parts["sickness"] == (Decimal("0.080"), selectors.ENTERED)
    assert parts["leave"] == (Decimal("0.120"), selectors.DEFAULT)
    assert view.total == pytest.approx(0.12 + 0.08 + 0.05 + 0.03 + 0.02)
    assert ShrinkageChange.objects.count() == 2


def test_staffing_rosters_for_the_entered_shrinkage(team_leader, history):
    today = timezone.localdate()
    before = selectors.staffing_view(today=today, interval=60, weeks=1)
    services.shrinkage_set(
        actor=team_leader,
        shares={c: Decimal("0.000") for c in rules.Category} | {"leave": Decimal("0.500")},
        now=timezone.now(),
    )
    after = selectors.staffing_view(today=today, interval=60, weeks=1)
    assert after.shrinkage == pytest.approx(0.5)
    assert [p.share for p in after.shrinkage_parts][:1] == [Decimal("0.500")]
    # The same agents needed, scheduled ÷ (1 - 0.5) instead of ÷ (1 - 0.3): at least as many everywhere.
    phone_before, phone_after = before.cells["phone"], after.cells["phone"]
    busiest = max(((d, s) for d in range(7) for s in range(24)), key=lambda ds: phone_before[ds[0]][ds[1]].required)
    assert phone_after[busiest[0]][busiest[1]].required > phone_before[busiest[0]][busiest[1]].required
    assert scheduled_for(14, 0.5) == 28


def test_shrinkage_refuses_bad_figures_and_agents(agent, team_leader, now):
    with pytest.raises(Forbidden):
        services.shrinkage_set(actor=agent, shares={"leave": Decimal("0.1")}, now=now)
    with pytest.raises(FieldError) as error:
        services.shrinkage_set(actor=team_leader, shares={"holidays": Decimal("0.1")}, now=now)
    assert "holidays" in error.value.errors
    with pytest.raises(FieldError) as error:
        services.shrinkage_set(actor=team_leader, shares={"leave": Decimal("0.6"), "sickness": Decimal("0.4")}, now=now)
    assert "total" in error.value.errors
    assert not ShrinkageShare.objects.exists()


def test_shrinkage_page_form_csv_import_and_export(client, agent, team_leader, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        page = client.get("/planning/shrinkage/")
    assert "Shrinkage by category" in page.content.decode()
    assert "Set the categories" not in page.content.decode()
    assert client.post("/planning/shrinkage/", {"leave": "10"}).status_code == 404

    client.force_login(team_leader)
    saved = client.post("/planning/shrinkage/", {"leave": "10", "sickness": "4.5"})
    assert saved.status_code == 302
    assert ShrinkageShare.objects.get(category="sickness").share == Decimal("0.045")
    too_much = client.post("/planning/shrinkage/", {"leave": "60", "sickness": "40"})
    assert too_much.status_code == 422

    bad = SimpleUploadedFile("s.csv", b"category,percent\nholidays,5\ntraining,lots\n", content_type="text/csv")
    refused = client.post("/planning/shrinkage/", {"file": bad})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Row 2:" in html
    assert "Row 3:" in html
    good = SimpleUploadedFile("s.csv", b"category,percent\ntraining,6\ncoaching,2.5%\n", content_type="text/csv")
    assert client.post("/planning/shrinkage/", {"file": good}).status_code == 302
    assert ShrinkageChange.objects.filter(source="csv").count() == 2
    exported = list(csv.reader(io.StringIO(client.get("/planning/shrinkage/?format=csv").content.decode())))
    assert exported[0] == ["category", "percent", "source"]
    assert ["coaching", "2.5", selectors.ENTERED] in exported
    staffing = client.get("/planning/staffing/").content.decode()
    assert "coaching 2%" in staffing or "coaching 3%" in staffing


# --- skills ---------------------------------------------------------------------------------------


def test_skills_are_replaced_with_products_and_found_for_routing(team_leader, agent):
    services.skills_replace(
        actor=team_leader, agent=agent, skills=["welsh", "data_protection"], products=["Broadband", " Mobile "]
    )
    services.skills_replace(actor=team_leader, agent=agent, skills=["welsh"], products=["Mobile"])
    mine = next(a for a in selectors.agent_skills() if a.agent == agent)
    assert mine.skills == ("welsh",)
    assert mine.products == ("Mobile",)
    assert selectors.agents_with("welsh") == [agent.pk]
    assert selectors.agents_with("product", "Mobile") == [agent.pk]
    assert selectors.agents_with("data_protection") == []
    with pytest.raises(FieldError):
        services.skills_replace(actor=team_leader, agent=agent, skills=["juggling"], products=[])
    with pytest.raises(Forbidden):
        services.skills_replace(actor=agent, agent=agent, skills=["welsh"], products=[])


def test_skills_csv_is_checked_row_by_row(team_leader, agent):
    rows, problems = imports.parse_skills(
        f"email,skills,products\n{agent.email},welsh; juggling,\nnobody@example.org,welsh,\n".encode()
    )
    assert rows == []
    assert [p.row for p in problems] == [2, 3]
    rows, problems = imports.parse_skills(
        f"email,skills,products\n{agent.email},welsh; complaints,Broadband; Mobile\n".encode()
    )
    assert problems == []
    assert rows[0].skills == ("welsh", "complaints")
    assert rows[0].products == ("Broadband", "Mobile")


def test_skills_page_edit_import_and_export(client, agent, team_leader, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        page = client.get("/planning/skills/")
    assert '<caption id="skills-caption">Skills by member of staff</caption>' in page.content.decode()
    assert client.post("/planning/skills/", {"agent": agent.pk, "skills": ["welsh"]}).status_code == 404

    client.force_login(team_leader)
    saved = client.post("/planning/skills/", {"agent": agent.pk, "skills": ["bsl_relay"], "products": "Energy"})
    assert saved.status_code == 302
    assert set(AgentSkill.objects.filter(agent=agent).values_list("skill", "detail")) == {
        ("bsl_relay", ""),
        ("product", "Energy"),
    }
    upload = SimpleUploadedFile(
        "skills.csv", f"email,skills,products\n{agent.email},welsh,\n".encode(), content_type="text/csv"
    )
    assert client.post("/planning/skills/", {"file": upload}).status_code == 302
    assert list(AgentSkill.objects.filter(agent=agent).values_list("skill", flat=True)) == ["welsh"]
    exported = list(csv.reader(io.StringIO(client.get("/planning/skills/?format=csv").content.decode())))
    assert exported[0] == ["email", "skills", "products"]
    assert [agent.email, "welsh", ""] in exported


# --- handling time from message timestamps --------------------------------------------------------


def test_handling_time_from_message_timestamps_with_its_source(client, agent, team_leader, customer, team):
    start = timezone.now() - timedelta(days=3)
    case = case_create(
        actor=agent, customer=customer, subject="Bill", body="Why so high?", channel="chat", team=team, now=start
    )
    first = Message.objects.filter(case=case).order_by("created_at").first()
    assert first is not None
    for minutes, kind in ((4, "outbound"), (10, "inbound"), (18, "outbound")):
        Message.objects.create(
            case=case,
            kind=kind,
            channel="chat",
            author=agent,
            body="…",
            created_at=first.created_at + timedelta(minutes=minutes),
        )
    rows = {(r.channel, r.case_type): r for r in selectors.handling_times(today=timezone.localdate())}
    chat = rows[("chat", "")]
    assert chat.source == selectors.TIMESTAMPS
    assert chat.from_messages == (4 * 60 + 8 * 60) // 2
    assert chat.replies == 2
    assert rows[("chat", case.type)].from_messages == chat.from_messages
    assert rows[("phone", "")].source == selectors.DEFAULT

    services.handling_time_set(actor=team_leader, channel="chat", case_type=case.type, seconds=500, now=timezone.now())
    rows = {(r.channel, r.case_type): r for r in selectors.handling_times(today=timezone.localdate())}
    assert rows[("chat", case.type)].source == selectors.EDITED
    assert rows[("chat", case.type)].from_messages == 360  # the measure stays beside the planner's figure

    client.force_login(team_leader)
    page = client.get("/planning/handling-times/").content.decode()
    assert "message timestamps" in page
    posted = client.post("/planning/handling-times/", {"channel": "email", "case_type": "complaint", "seconds": "700"})
    assert posted.status_code == 302
    exported = list(csv.reader(io.StringIO(client.get("/planning/handling-times/?format=csv").content.decode())))
    assert ["email", "complaint", "700", selectors.EDITED, "", "0", "", "0"] in exported


# --- the API --------------------------------------------------------------------------------------


def test_api_shrinkage_and_skills(client, auth, agent, team_leader):
    body = client.get("/api/v1/workforce/shrinkage", **auth(agent)).json()
    assert body["total"] == pytest.approx(0.3)
    assert [c["category"] for c in body["categories"]] == ["leave", "sickness", "training", "coaching", "meetings"]
    refused = client.put("/api/v1/workforce/shrinkage", {"leave": 0.1}, content_type="application/json", **auth(agent))
    assert refused.status_code == 403
    bad = client.put("/api/v1/workforce/shrinkage", {"leave": 2}, content_type="application/json", **auth(team_leader))
    assert bad.status_code == 422
    assert "leave" in fields(bad)
    too_much = client.put(
        "/api/v1/workforce/shrinkage",
        {"leave": 0.5, "sickness": 0.5},
        content_type="application/json",
        **auth(team_leader),
    )
    assert too_much.status_code == 422
    assert "total" in fields(too_much)
    set_ = client.put(
        "/api/v1/workforce/shrinkage", {"sickness": 0.06}, content_type="application/json", **auth(team_leader)
    )
    assert set_.status_code == 200
    assert set_.json()["total"] == pytest.approx(0.31)

    put = client.put(
        f"/api/v1/workforce/skills/{agent.pk}",
        {"skills": ["welsh"], "products": ["Broadband"]},
        content_type="application/json",
        **auth(team_leader),
    )
    assert put.status_code == 200
    assert put.json()["skills"] == ["welsh"]
    listed = {a["agent"]: a for a in client.get("/api/v1/workforce/skills", **auth(agent)).json()}
    assert listed[agent.pk]["products"] == ["Broadband"]
    assert (
        client.put(
            f"/api/v1/workforce/skills/{agent.pk}",
            {"skills": ["juggling"]},
            content_type="application/json",
            **auth(team_leader),
        ).status_code
        == 422
    )
    assert (
        client.put(
            "/api/v1/workforce/skills/99999999", {}, content_type="application/json", **auth(team_leader)
        ).status_code
        == 404
    )
    staffing_shape = client.get("/api/v1/workforce/handling-times", **auth(agent)).json()
    assert {"tracked", "from_messages", "replies"} <= set(staffing_shape[0])
