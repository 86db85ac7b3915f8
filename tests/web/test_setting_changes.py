"""Managers read the history of settings on the desk: who changed which rule, and how."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.complaints.models import AuthorityLimit, RootCause
from rapport.platform import settings_history
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _raise_limit(actor, pence):
    limit = AuthorityLimit.objects.get(role="agent", kind="goodwill")
    limit.limit_pence = pence
    settings_history.setting_save(actor=actor, instance=limit, reason="more room for goodwill")


def test_a_manager_sees_who_changed_a_limit_from_what_to_what(manager):
    before = AuthorityLimit.objects.get(role="agent", kind="goodwill").limit_pence
    _raise_limit(manager, 4321)

    page = signed_in(manager).get("/settings/changes/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Authority limit: Agent goodwill £43.21" in html
    assert f"Limit pence: {before} → 4321" in html
    assert "Why: more room for goodwill" in html
    assert "Manager" in html
    assert 'href="/settings/changes/"' in html  # in the navigation


def test_the_list_narrows_to_one_kind_of_setting(manager):
    _raise_limit(manager, 4321)
    settings_history.setting_save(actor=manager, instance=RootCause(name="Late delivery (test)", code="late-test"))

    html = signed_in(manager).get("/settings/changes/", {"kind": "complaints.rootcause"}).content.decode()

    assert "Late delivery (test)" in html
    assert "Agent goodwill" not in html


def test_agents_and_team_leaders_get_the_plain_not_found_page(agent, team_leader):
    assert signed_in(agent).get("/settings/changes/").status_code == 404
    assert signed_in(team_leader).get("/settings/changes/").status_code == 404
    assert 'href="/settings/changes/"' not in signed_in(agent).get("/").content.decode()


def test_the_page_costs_the_same_queries_however_many_changes(manager):
    client = signed_in(manager)

    def queries_with(changes: int) -> int:
        for pence in range(changes):
            _raise_limit(manager, 1000 + pence + changes * 100)
        client.get("/settings/changes/")  # warm the session and per-process lists
        with CaptureQueriesContext(connection) as captured:
            client.get("/settings/changes/")
        return len(captured)

    assert queries_with(1) == queries_with(6)
