"""Saved views as tabs beside the five queues, and the counts on every tab: read from the shared
cache, counted again off the request when older than 30 s, and their age said on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from rapport.cases import counts
from rapport.cases.selectors import QueueFilter
from rapport.platform import jobs
from rapport.web.models import SavedView
from rapport.web.saved_views import saved_view_create
from tests.web.html_checks import page_problems
from tests.web.test_queue import QUEUE_QUERIES, counted


def tab(html: str, label: str) -> str:
    match = re.search(rf"<li[^>]*><a [^>]*>{re.escape(label)}(.*?)</a></li>", html)
    assert match, label
    return match.group(1)


@pytest.fixture
def queued(monkeypatch):
    """The count jobs asked for, instead of running them."""
    asked: list[tuple] = []
    monkeypatch.setitem(jobs._jobs, counts.REFRESH_JOB, lambda *args: asked.append(args))
    return asked


def test_counts_appear_once_counted_and_say_how_old_they_are(agent_client, agent, make_cases):
    make_cases(3)
    make_cases(1, owner=agent)

    first = agent_client.get("/").content.decode()
    # nothing counted yet: no tab shows a number, and the page says the counts are coming
    assert "Counting the cases in each queue" in first
    assert 'class="count"' not in first

    then = agent_client.get("/").content.decode()
    assert tab(then, "All").startswith(' <span class="count">(4<span class="visually-hidden"> active cases</span>)')
    assert "(1<" in tab(then, "Mine")
    assert re.search(r"Counts updated \d+ s ago; they may be up to 30 s behind.", then)
    assert page_problems(then) == []


def test_the_page_says_how_stale_the_counts_are_and_asks_for_one_recount(agent_client, agent, case, queued):
    key = counts.count_key(agent, QueueFilter(queue="all"))
    cache.set(key, (7, (timezone.now() - timedelta(seconds=12, milliseconds=400)).isoformat()))

    html = agent_client.get("/").content.decode()

    assert "(7<" in tab(html, "All")
    # the other four queues were never counted: one job each is asked for; "All" is fresh enough
    assert "Counts updated 12 s ago" in html
    assert sorted(args[1]["queue"][0] for args in queued) == ["breaching", "mine", "team", "unassigned"]

    cache.set(key, (7, (timezone.now() - timedelta(seconds=45)).isoformat()))
    queued.clear()
    stale = agent_client.get("/").content.decode()
    assert "Counts updated 45 s ago, being counted again" in stale
    assert [args[1] for args in queued] == [{"queue": ["all"]}]
    # a second look within 30 s asks for nothing more: the recount is already claimed
    queued.clear()
    agent_client.get("/")
    assert queued == []


def test_everyone_who_sees_the_same_cases_shares_a_count(manager, team_leader, agent, other_agent):
    from tests.conftest import make_user

    other_manager = make_user("director@example.com", "manager")
    everyone = QueueFilter(queue="all")

    assert counts.count_key(manager, everyone) == counts.count_key(other_manager, everyone)
    assert counts.count_key(manager, QueueFilter(queue="mine")) != counts.count_key(
        other_manager, QueueFilter(queue="mine")
    )
    # an agent's "All" depends on their teams and what they own
    assert counts.count_key(agent, everyone) != counts.count_key(other_agent, everyone)
    assert counts.count_key(agent, everyone) != counts.count_key(manager, everyone)


def test_a_saved_view_is_a_tab_with_its_own_count(agent_client, agent, make_cases, now):
    make_cases(2, priority="urgent")
    make_cases(1)
    view = saved_view_create(actor=agent, name="Urgent ones", filters={"priority": "urgent", "sort": "oldest"}, now=now)
    counted(agent_client)

    html = agent_client.get("/").content.decode()
    assert f'<a href="/?view={view.pk}">Urgent ones <span class="count">(2<' in html

    opened = agent_client.get("/", {"view": view.pk}).content.decode()
    assert f'<a href="/?view={view.pk}" aria-current="page">' in opened
    assert 'value="urgent" selected' in opened
    assert 'value="oldest" selected' in opened
    assert '<input type="hidden" name="view" value="' in opened
    assert "<title>Queue: Urgent ones" in opened


def test_the_queue_with_five_saved_views_and_counts_costs_what_it_did(
    agent_client, agent, team_leader, make_cases, now, django_assert_num_queries
):
    make_cases(3)
    for n in range(3):
        saved_view_create(actor=agent, name=f"Mine {n}", filters={"queue": "mine", "type": "complaint"}, now=now)
    for n in range(2):
        saved_view_create(actor=team_leader, name=f"Shared {n}", filters={"status": "open"}, shared=True, now=now)
    counted(agent_client)

    with django_assert_num_queries(QUEUE_QUERIES):
        html = agent_client.get("/").content.decode()

    assert html.count('class="saved-view"') == 5
    assert html.count('class="count"') == 10


def test_saving_the_queue_s_filters_as_a_view_from_the_page(agent_client, agent):
    response = agent_client.post(
        "/queue/views/", {"name": "Phone complaints", "return": "queue=team&channel=phone&type=complaint&cursor=abc"}
    )

    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/?view={view.pk}"
    assert view.filters == {"queue": ["team"], "channel": ["phone"], "type": ["complaint"]}
    assert (view.owner, view.shared) == (agent, False)


def test_an_agent_cannot_share_a_view_from_the_page(agent_client):
    response = agent_client.post("/queue/views/", {"name": "Everyone's", "shared": "on", "return": "queue=all"})

    assert response.status_code == 422
    assert "Only team leaders, managers and admins share views." in response.content.decode()
    assert not SavedView.objects.exists()


def test_views_are_moved_and_deleted_on_the_saved_views_page(agent_client, agent, now):
    first = saved_view_create(actor=agent, name="First", filters={}, now=now)
    second = saved_view_create(actor=agent, name="Second", filters={}, now=now)

    agent_client.post(f"/queue/views/{second.pk}/", {"do": "earlier"})
    assert [v.name for v in SavedView.objects.order_by("position", "id")] == ["Second", "First"]

    agent_client.post(f"/queue/views/{first.pk}/", {"do": "delete"})
    html = agent_client.get("/queue/views/").content.decode()
    assert [v.name for v in SavedView.objects.all()] == ["Second"]
    assert "Deleted the view" in html
    assert page_problems(html) == []


def test_another_person_s_own_view_is_not_found(other_agent_client, agent, now):
    mine = saved_view_create(actor=agent, name="Private list", filters={}, now=now)

    assert other_agent_client.post(f"/queue/views/{mine.pk}/", {"do": "delete"}).status_code == 404
    # and naming it in the queue's address shows the plain queue
    html = other_agent_client.get("/", {"view": mine.pk}).content.decode()
    assert "Private list" not in html
    assert "<title>Queue: All" in html
    assert SavedView.objects.filter(pk=mine.pk).exists()
