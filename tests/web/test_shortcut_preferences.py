"""Each person turns single-key shortcuts off or remaps them (WCAG 2.1.4); the pages give the
script their choice on <body data-shortcuts>, at no query's cost."""

from __future__ import annotations

import html as html_lib
import json
import re

from rapport.domain.shortcuts import DEFAULT_KEYS
from tests.web.html_checks import page_problems


def shortcuts_on(page: str) -> dict:
    found = re.search(r'<body [^>]*data-shortcuts="([^"]*)"', page)
    assert found, "no data-shortcuts on <body>"
    return json.loads(html_lib.unescape(found.group(1)))


def form(enabled: bool, **keys: str) -> dict[str, str]:
    chosen = {**DEFAULT_KEYS, **keys}
    data = {f"key_{action}": key for action, key in chosen.items()}
    if enabled:
        data["enabled"] = "on"
    return data


def test_shortcuts_are_on_with_the_usual_keys_until_a_person_changes_them(agent_client, case):
    queue = agent_client.get("/").content.decode()
    settings = shortcuts_on(queue)

    assert settings["enabled"] is True
    assert settings["keys"] == DEFAULT_KEYS
    assert settings["preferences"] == "/preferences/shortcuts/"
    assert 'src="/static/rapport/shortcuts.js"' in queue
    assert 'id="shortcut-status" class="visually-hidden" role="status"' in queue
    # the case page marks what r, n and a go to
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    for action in ("reply", "note", "assign"):
        assert f'data-shortcut-action="{action}"' in page


def test_a_person_turns_them_off(agent_client, agent):
    response = agent_client.post("/preferences/shortcuts/", form(enabled=False))

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.shortcuts["enabled"] is False
    assert shortcuts_on(agent_client.get("/").content.decode())["enabled"] is False


def test_a_person_remaps_a_key(agent_client, agent):
    agent_client.post("/preferences/shortcuts/", form(enabled=True, next="s", previous="w", search="f"))

    settings = shortcuts_on(agent_client.get("/").content.decode())
    assert (settings["keys"]["next"], settings["keys"]["previous"], settings["keys"]["search"]) == ("s", "w", "f")


def test_a_key_for_two_actions_is_refused_naming_it_and_nothing_changes(agent_client, agent):
    response = agent_client.post("/preferences/shortcuts/", form(enabled=True, reply="j"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "&#x27;j&#x27; is already the key for move to the next case in the queue" in page
    agent.refresh_from_db()
    assert agent.shortcuts == {}
    assert page_problems(page) == []


def test_the_preferences_page_shows_the_current_choice(agent_client):
    page = agent_client.get("/preferences/shortcuts/").content.decode()

    assert "<h1>Keyboard shortcuts</h1>" in page
    assert 'name="key_next" value="j"' in page
    assert page_problems(page) == []


def test_customers_get_no_shortcuts(customer_client):
    portal = customer_client.get("/portal/").content.decode()

    assert "data-shortcuts" not in portal
    assert "shortcuts.js" not in portal
    assert customer_client.get("/preferences/shortcuts/").status_code == 404
