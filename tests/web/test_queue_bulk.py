"""The queue's action bar: tick rows (or every row on the page), choose an action, and see which
cases changed and which were refused and why. A plain form post: no JavaScript needed."""

from __future__ import annotations

import re

from rapport.cases.models import Case
from rapport.cases.services import case_update
from tests.web.html_checks import page_problems


def ticks(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="case" value="([^"]+)" form="bulk"', html)


def test_each_row_has_a_labelled_tick_box_carrying_the_version_it_was_read_at(agent_client, make_cases, agent):
    first, second = make_cases(2)
    case_update(actor=agent, reference=first.reference, expected_version=1, changes={"priority": "high"})

    html = agent_client.get("/").content.decode()

    assert sorted(ticks(html)) == sorted([f"{first.reference}:2", f"{second.reference}:1"])
    assert f'aria-label="Select {first.reference}"' in html
    assert 'id="select-all"' in html
    assert '<form id="bulk" class="bulk-bar" method="post" action="/queue/bulk/"' in html
    assert '<option value="assign:' in html
    assert '<option value="tags_add:">Add tags' in html
    assert page_problems(html) == []


def test_a_bulk_assign_shows_which_cases_changed_and_which_were_refused_and_why(
    agent_client, make_cases, agent, team_leader
):
    fresh, moved = make_cases(2)
    case_update(actor=team_leader, reference=moved.reference, expected_version=1, changes={"priority": "low"})

    response = agent_client.post(
        "/queue/bulk/",
        {
            "do": f"assign:{agent.pk}",
            "case": [f"{fresh.reference}:1", f"{moved.reference}:1"],
            "return": "queue=all&sort=oldest",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    outcome = html[html.index('id="bulk-outcome"') : html.index("</section>")]
    assert '<p role="status">1 case changed, 1 refused.</p>' in outcome
    assert "Someone else changed this case since you opened it." in outcome
    assert f">{moved.reference}</a></th><td>" in outcome
    assert f'Changed: <a href="/cases/{fresh.reference}/">{fresh.reference}</a>.' in outcome
    # the queue shown is the one the action was sent from, with every row's new version
    assert 'value="oldest" selected' in html
    assert f"{fresh.reference}:2" in ticks(html)
    assert Case.objects.get(pk=fresh.pk).owner == agent
    assert Case.objects.get(pk=moved.pk).owner is None
    assert page_problems(html) == []


def test_every_case_on_the_page_without_ticking_each(agent_client, make_cases):
    cases = make_cases(3)

    response = agent_client.post(
        "/queue/bulk/",
        {"do": "priority:urgent", "all_on_page": "1", "shown": [f"{c.reference}:1" for c in cases], "return": ""},
    )

    assert '<p role="status">3 cases changed.</p>' in response.content.decode()
    assert set(Case.objects.values_list("priority", flat=True)) == {4}


def test_tags_come_from_the_bar_s_text_field(agent_client, case):
    agent_client.post(
        "/queue/bulk/", {"do": "tags_add:", "value-tags": "Refund, kettle", "case": f"{case.reference}:1"}
    )

    assert sorted(case.tags.values_list("name", flat=True)) == ["kettle", "refund"]


def test_a_bulk_request_that_cannot_be_done_changes_nothing_and_says_why(agent_client, case):
    response = agent_client.post("/queue/bulk/", {"do": "", "case": f"{case.reference}:1"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was changed" in html
    assert "Choose an action." in html
    nothing = agent_client.post("/queue/bulk/", {"do": "status:open"})
    assert "Choose at least one case." in nothing.content.decode()
    case.refresh_from_db()
    assert case.version == 1


def test_customers_cannot_post_bulk_actions(customer_client, case):
    assert (
        customer_client.post("/queue/bulk/", {"do": "status:closed", "case": f"{case.reference}:1"}).status_code == 404
    )
