"""The complaint pages: the HEAT panel on the case page, the action pages, approvals, the list of
open complaints and the reports with their CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.cases.models import CaseEvent
from rapport.complaints import services
from rapport.complaints.models import Complaint
from tests.complaints.conftest import assess_goods
from tests.conftest import make_user
from tests.web.conftest import signed_in


def test_the_heat_panel_shows_on_complaint_cases_only(agent_client, complaint_case, case):
    page = agent_client.get(f"/cases/{complaint_case.reference}/").content.decode()
    assert "Complaint handling (HEAT)" in page
    assert "Listen: let the customer finish" in page  # LEAPS prompt beside the Hear stage
    assert "Complete the Hear stage before closing" in page
    assert page.count("<h1") == 1

    assert "Complaint handling (HEAT)" not in agent_client.get(f"/cases/{case.reference}/").content.decode()


def test_a_stage_posted_from_the_panel_is_recorded_and_redirects_to_the_case(agent_client, complaint_case):
    response = agent_client.post(
        f"/complaints/{complaint_case.reference}/empathise/", {"empathise-said": "I understand how you feel."}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/cases/{complaint_case.reference}/")
    assert Complaint.objects.get(case=complaint_case).empathy == "I understand how you feel."
    assert CaseEvent.objects.filter(case=complaint_case, kind="heat_empathise").exists()


def test_a_refused_stage_is_shown_again_with_its_errors(agent_client, complaint_case):
    response = agent_client.post(
        f"/complaints/{complaint_case.reference}/own/",
        {"own-action_plan": "Call back", "own-promised_date": "2020-01-01", "own-handler": ""},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert services.PROMISE_IN_PAST in page
    assert page.count("<h1") == 1
    assert not Complaint.objects.filter(case=complaint_case, owned_at__isnull=False).exists()


def test_an_agent_cannot_override_and_is_told_why(agent_client, complaint_case):
    response = agent_client.post(f"/complaints/{complaint_case.reference}/override/", {"override-reason": "Because."})
    assert response.status_code == 403
    assert "Only a manager may override" in response.content.decode()


def test_customers_and_other_teams_get_not_found(customer_client, other_agent_client, complaint_case, case):
    url = f"/complaints/{complaint_case.reference}/hear/"
    assert customer_client.get(url).status_code == 404
    assert other_agent_client.get(url).status_code == 404
    assert other_agent_client.post(url, {"hear-account": "x", "hear-summary": "y"}).status_code == 404
    assert signed_in(make_user("x@example.com", "agent")).get(f"/complaints/{case.reference}/hear/").status_code == 404
    assert customer_client.get("/complaints/").status_code == 404


def test_an_approval_is_decided_on_its_page(agent, team_leader, assessed, now):
    complaint_case = assessed
    award = services.award_request(
        actor=agent,
        reference=complaint_case.reference,
        kind="refund",
        basis="legal",
        amount="120",
        remedy="repair",
        now=now,
    )
    leader = signed_in(team_leader)
    index = leader.get("/complaints/").content.decode()
    assert f"/complaints/approvals/{award.approval.pk}/" in index

    refused = leader.post(
        f"/complaints/approvals/{award.approval.pk}/",
        {"decision": "refuse", "ground": "budget", "reason": "No budget left."},
    )
    assert refused.status_code == 422
    assert "cannot be refused for want of goodwill budget" in refused.content.decode()

    approved = leader.post(
        f"/complaints/approvals/{award.approval.pk}/", {"decision": "approve", "reason": "Entitled."}
    )
    assert approved.status_code == 302
    award.refresh_from_db()
    assert award.status == "granted"
    # the requester never sees their own request to decide
    assert signed_in(agent).get(f"/complaints/approvals/{award.approval.pk}/").status_code == 404


def test_the_complaints_list_runs_a_fixed_number_of_queries(
    manager, agent, customer, team, now, django_assert_max_num_queries
):
    from rapport.cases.services import case_create

    for i in range(12):
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Complaint {i}",
            body="Unhappy.",
            type="complaint",
            channel="email",
            team=team,
            owner=agent,
            now=now - timedelta(days=i * 5),
        )
    client = signed_in(manager)
    client.get("/complaints/")  # warm the session and settings row
    with django_assert_max_num_queries(8):
        page = client.get("/complaints/")
    text = page.content.decode()
    assert text.count("<tr>") == 13  # header + 12 rows
    assert "Overdue" in text  # received 55 days ago: past 8 weeks


def test_reports_are_for_team_leaders_and_export_csv(agent_client, team_leader, heat_done, agent, now):
    assess_goods(agent, heat_done.reference, now)
    services.complaint_record_outcome(
        actor=agent,
        reference=heat_done.reference,
        outcome="upheld",
        outcome_text="Refunded.",
        customer_response="accepted",
        root_cause="product-fault",
        now=now,
    )
    services.award_request(
        actor=agent, reference=heat_done.reference, kind="goodwill", basis="goodwill", amount="15", now=now
    )
    services.award_request(
        actor=agent,
        reference=heat_done.reference,
        kind="refund",
        basis="legal",
        amount="30",
        remedy="short_term_reject",
        now=now,
    )
    assert agent_client.get("/complaints/reports/").status_code == 404

    leader = signed_in(team_leader)
    query = {"start": "2026-01-01", "end": "2026-12-31"}
    page = leader.get("/complaints/reports/", query)
    assert page.status_code == 200
    text = page.content.decode()
    for title in (
        "by root cause",
        "by product",
        "by channel",
        "Time to resolve",
        "Upheld rate",
        "Remedies granted",
        "Repeat complaints",
        "Trend",
    ):
        assert title in text
    assert '<svg class="complaint-trend" role="img"' in text  # the chart, beside its table

    response = leader.get("/complaints/reports/remedies.csv", query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Basis", "Kind", "Granted", "Cost (£)"],
        ["Goodwill", "Goodwill", "1", "15.00"],
        ["Legal remedies", "Refund", "1", "30.00"],
    ]
    causes = list(csv.reader(io.StringIO(leader.get("/complaints/reports/root_cause.csv", query).content.decode())))
    assert causes[1] == ["Product fault", "1", "100.0%"]
    assert leader.get("/complaints/reports/nonsense.csv").status_code == 404


def test_a_bad_report_period_is_explained_not_fatal(team_leader):
    page = signed_in(team_leader).get("/complaints/reports/", {"start": "yesterday"})
    assert page.status_code == 400
    assert "Enter a valid date" in page.content.decode()


@pytest.mark.parametrize("name", ["trend", "repeat", "upheld", "time_to_resolve", "product", "channel"])
def test_every_report_exports(team_leader, heat_done, name):
    response = signed_in(team_leader).get(f"/complaints/reports/{name}.csv")
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].count(",") >= 1


def test_the_queue_marks_complaints_near_their_deadline(agent_client, agent, customer, team):
    from rapport.cases.services import case_create

    case_create(
        actor=agent,
        customer=customer,
        subject="Old complaint",
        body="Still waiting.",
        type="complaint",
        channel="email",
        team=team,
        owner=agent,
        now=timezone.now() - timedelta(weeks=9),
    )
    assert "Final response overdue" in agent_client.get("/").content.decode()


def test_complaint_pages_pass_the_accessibility_checks(manager, agent, complaint_case, team_leader, now):
    from tests.web.html_checks import page_problems

    award = services.award_request(
        actor=agent, reference=complaint_case.reference, kind="refund", basis="goodwill", amount="120", now=now
    )
    client = signed_in(manager)
    for url in (
        f"/cases/{complaint_case.reference}/",
        f"/complaints/{complaint_case.reference}/own/",
        f"/complaints/{complaint_case.reference}/facts/",
        "/complaints/",
        "/complaints/reports/",
        f"/complaints/approvals/{award.approval.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert page_problems(response.content.decode()) == [], url


def test_due_follow_ups_are_listed_and_marked_as_made_once(agent, agent_client, complaint_case):
    today = timezone.localdate()
    services.complaint_take_ownership(
        actor=agent,
        reference=complaint_case.reference,
        handler=agent,
        action_plan="Call back.",
        promised_date=today + timedelta(days=3),
        follow_ups=[today],
    )
    page = agent_client.get("/complaints/").content.decode()
    assert "Follow-ups due" in page
    follow_up = Complaint.objects.get(case=complaint_case).follow_ups.get()
    assert f"/complaints/follow-ups/{follow_up.pk}/done/" in page

    assert agent_client.post(f"/complaints/follow-ups/{follow_up.pk}/done/").status_code == 302
    agent_client.post(f"/complaints/follow-ups/{follow_up.pk}/done/")

    assert CaseEvent.objects.filter(case=complaint_case, kind="follow_up_done").count() == 1
    assert "No follow-ups are due." in agent_client.get("/complaints/").content.decode()


def test_follow_ups_of_cases_out_of_sight_cannot_be_marked(other_agent_client, agent, complaint_case):
    today = timezone.localdate()
    services.complaint_take_ownership(
        actor=agent,
        reference=complaint_case.reference,
        handler=agent,
        action_plan="Call back.",
        promised_date=today,
        follow_ups=[today],
    )
    follow_up = Complaint.objects.get(case=complaint_case).follow_ups.get()
    assert other_agent_client.post(f"/complaints/follow-ups/{follow_up.pk}/done/").status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


@pytest.mark.parametrize(
    "path",
    [
        "complaints/rootcause/",
        "complaints/authoritylimit/",
        "complaints/complaintsettings/",
        "complaints/complaintsettings/1/change/",
        "complaints/complaint/",
    ],
)
def test_complaint_configuration_is_in_the_admin(db, complaint_case, path):
    from rapport.accounts.models import User

    root = User.objects.create_superuser("root@example.com", "a long admin password", name="Root")
    assert signed_in(root).get(f"/admin/{path}").status_code == 200


def test_the_letter_can_be_previewed_without_sending_it(agent_client, complaint_case, other_agent_client):
    response = agent_client.get(f"/complaints/{complaint_case.reference}/letter.pdf?deadlock=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert complaint_case.messages.count() == 1  # nothing sent
    assert other_agent_client.get(f"/complaints/{complaint_case.reference}/letter.pdf").status_code == 404


def test_the_reports_page_runs_a_fixed_number_of_queries(
    team_leader, agent, customer, team, now, django_assert_max_num_queries
):
    from rapport.cases.services import case_create

    for i in range(15):
        case = case_create(
            actor=agent,
            customer=customer,
            subject=f"Complaint {i}",
            body="Unhappy.",
            type="complaint",
            channel="email",
            team=team,
            owner=agent,
            now=now - timedelta(days=i * 20),
        )
        services.award_request(
            actor=agent, reference=case.reference, kind="goodwill", basis="goodwill", amount="5", now=now
        )
    client = signed_in(team_leader)
    client.get("/complaints/reports/")
    with django_assert_max_num_queries(14):
        page = client.get("/complaints/reports/", {"start": "2025-01-01", "end": "2026-12-31"})
    text = page.content.decode()
    assert '<th scope="row">Alice Jones</th><td>15</td>' in text  # the repeat complainant
    assert "<td>75.00</td>" in text  # 15 goodwill gestures of £5


def test_the_case_page_of_a_complaint_costs_the_same_with_many_awards(agent, agent_client, heat_done, now):
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(f"/cases/{heat_done.reference}/").status_code == 200
        return len(captured.captured_queries)

    services.award_request(
        actor=agent, reference=heat_done.reference, kind="goodwill", basis="goodwill", amount="5", now=now
    )
    assess_goods(agent, heat_done.reference, now)
    queries()  # the first view loads the process's owner and team lists
    one = queries()
    for _ in range(9):
        services.award_request(
            actor=agent,
            reference=heat_done.reference,
            kind="refund",
            basis="legal",
            amount="500",
            remedy="repair",
            now=now,
        )
    assert queries() == one


def test_naming_customers_in_a_report_is_recorded_as_access(monkeypatch, team_leader, agent, customer, team, now):
    from rapport import extensions
    from rapport.cases.services import case_create

    seen = []
    monkeypatch.setattr(extensions, "access_observers", [lambda a, c, what, why: seen.append((a.pk, c.pk, why))])
    for i in range(2):
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Complaint {i}",
            body="Again.",
            type="complaint",
            channel="email",
            team=team,
            now=now,
        )
    signed_in(team_leader).get("/complaints/reports/repeat.csv", {"start": "2026-01-01", "end": "2026-12-31"})
    assert seen == [(team_leader.pk, customer.pk, "complaint report export")]


def test_the_complaints_list_names_the_complaint_handler_and_the_case_owner_apart(
    manager, agent, team_leader, complaint_case, now
):
    # given a complaint handled by the team leader on a case the agent owns
    from rapport.complaints import services

    services.complaint_take_ownership(
        actor=team_leader,
        reference=complaint_case.reference,
        handler=team_leader,
        action_plan="Refund today.",
        promised_date=now.date() + timedelta(days=2),
        now=now,
    )

    # when the manager lists open complaints
    page = signed_in(manager).get("/complaints/").content.decode()

    # then each person is named under their own heading, and "Owner" alone is not used
    table = page.split("Awaiting a final response")[1]
    headings = re.findall(r'<th scope="col">([^<]+)</th>', table)
    row = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert "Owner" not in headings
    assert cells[headings.index("Complaint handler") - 1] == str(team_leader)
    assert cells[headings.index("Case owner") - 1] == str(agent)


def test_an_award_reads_as_words_not_codes(agent, team_leader, assessed, now):
    # given a legal refund above the agent's limit, waiting for approval
    complaint_case = assessed
    award = services.award_request(
        actor=agent,
        reference=complaint_case.reference,
        kind="refund",
        basis="legal",
        amount="120",
        remedy="short_term_reject",
        now=now,
    )
    leader = signed_in(team_leader)

    # when the approver opens the request and the case
    approval = leader.get(f"/complaints/approvals/{award.approval.pk}/").content.decode()
    case_page = leader.get(f"/cases/{complaint_case.reference}/").content.decode()

    # then the basis and remedy are named as people say them
    assert "<dd>Legal entitlement: short-term right to reject</dd>" in approval
    assert "short_term_reject" not in approval
    assert "Refund £120 (short-term right to reject)" in case_page
