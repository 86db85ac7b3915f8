"""Macro pages and the case page's picker, preview and apply; signatures; the reply preview."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rapport.cases.models import CaseEvent, Message
from rapport.macros.models import Macro, Scope, Signature

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent_client(agent):
    return signed_in(agent)


def test_the_case_page_offers_the_picker_and_marks_the_shortcut_controls(agent_client, case, order_number):
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert re.search(r'<summary data-shortcut-action="macro">Use a macro</summary>', page)
    assert re.search(r'<textarea name="reply-body"[^>]*data-shortcut-action="reply"', page)
    assert re.search(r'<textarea name="note-body"[^>]*data-shortcut-action="note"', page)


def test_the_picker_finds_macros_by_name(agent_client, case, order_number, make_macro):
    make_macro(name="Refund within 30 days", reply="Hi")
    url = f"/macros/case/{case.reference}/"
    found = agent_client.get(url + "?q=refund", **HTMX).content.decode()
    assert "Refund within 30 days" in found
    assert "Ask for the order number" not in found
    assert "<html" not in found  # a fragment for htmx
    whole = agent_client.get(url + "?q=order")
    assert whole.status_code == 200
    assert "<html" in whole.content.decode()  # a page without JavaScript


def test_preview_then_apply_from_the_case_page(agent_client, case, order_number):
    preview = agent_client.get(f"/macros/case/{case.reference}/{order_number.pk}/", **HTMX).content.decode()
    assert "<strong>order number</strong>" in preview
    assert "Waiting on customer" in preview
    assert f'name="version" value="{case.version}"' in preview
    assert not CaseEvent.objects.filter(case=case, kind="macro_applied").exists()

    applied = agent_client.post(f"/macros/case/{case.reference}/{order_number.pk}/apply/", {"version": case.version})
    assert applied.status_code == 302
    assert applied["Location"].startswith(f"/cases/{case.reference}/#message-")
    assert CaseEvent.objects.filter(case=case, kind="macro_applied").count() == 1
    timeline = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Macro applied" in timeline
    assert "<strong>order number</strong>" in timeline


def test_applying_on_a_stale_page_says_so_and_writes_nothing(agent_client, case, order_number):
    url = f"/macros/case/{case.reference}/{order_number.pk}/apply/"
    response = agent_client.post(url, {"version": case.version + 3}, **HTMX)
    assert '<main id="main" tabindex="-1">' in response.content.decode()  # the page to swap in
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert Message.objects.filter(case=case).count() == 1


def test_a_refused_macro_shows_why_and_offers_no_apply_button(agent_client, case, order_number, monkeypatch):
    from rapport import extensions

    monkeypatch.setattr(extensions, "record_guards", [lambda c: ["Processing is restricted (UK GDPR Art 18)."]])
    page = agent_client.get(f"/macros/case/{case.reference}/{order_number.pk}/", **HTMX).content.decode()
    assert "Processing is restricted (UK GDPR Art 18)." in page
    assert "Apply macro" not in page


def test_the_macro_list_costs_the_same_for_any_number_of_macros(
    agent_client, agent, make_macro, django_assert_num_queries
):
    for n in range(2):
        make_macro(name=f"Shared {n}", reply="Hi")
    agent_client.get("/macros/")
    with django_assert_num_queries(4) as few:
        agent_client.get("/macros/")
    for n in range(2, 20):
        make_macro(name=f"Shared {n}", reply="Hi", uses=n)
    make_macro(name="Mine", scope=Scope.PERSONAL, owner=agent, reply="Hi")
    with django_assert_num_queries(len(few.captured_queries)):
        page = agent_client.get("/macros/").content.decode()
    assert "Shared 19" in page


def test_creating_with_an_unknown_placeholder_shows_the_message_beside_the_field(agent_client):
    response = agent_client.post(
        "/macros/new/", {"name": "Typo", "scope": "personal", "reply": "Hi {{ custmer.name }}"}
    )
    assert response.status_code == 422
    assert "{{ custmer.name }} is not a placeholder." in response.content.decode()
    assert not Macro.objects.exists()
    saved = agent_client.post("/macros/new/", {"name": "Hello", "scope": "personal", "reply": "Hi {{ customer.name }}"})
    assert saved.status_code == 302
    assert Macro.objects.get().name == "Hello"


def test_the_live_preview_uses_sample_values_and_names_problems(agent_client):
    response = agent_client.post("/macros/preview/", {"reply": "Dear **{{ customer.name }}** {{ nope }}", "note": ""})
    body = response.content.decode()
    assert "<strong>Ann Jones</strong>" in body
    assert "{{ nope }} is not a placeholder." in body


def test_an_agent_cannot_open_the_edit_page_of_a_shared_macro(agent_client, order_number):
    assert agent_client.get(f"/macros/{order_number.pk}/").status_code == 404
    assert agent_client.post(f"/macros/{order_number.pk}/delete/").status_code == 404
    assert Macro.objects.filter(pk=order_number.pk).exists()


def test_usage_is_for_leaders(agent_client, team_leader, make_macro):
    make_macro(name="Popular", uses=12)
    assert agent_client.get("/macros/usage/").status_code == 404
    page = signed_in(team_leader).get("/macros/usage/").content.decode()
    assert "Popular" in page


def test_signatures_page_sets_ones_own_and_a_leader_their_teams(agent_client, team_leader, team):
    agent_client.post("/macros/signatures/", {"body": "Priya Shah  \nCustomer Service"})
    assert Signature.objects.get(user__email="agent@example.com").body == "Priya Shah  \nCustomer Service"
    assert agent_client.post("/macros/signatures/", {"body": "x", "team": team.pk}).status_code == 404
    signed_in(team_leader).post("/macros/signatures/", {"body": "The Front line team", "team": team.pk})
    assert Signature.objects.get(team=team).body == "The Front line team"


def test_reply_preview_is_rendered_sanitised_and_signed(agent_client, agent, case, now):
    Signature.objects.create(user=agent, body="Priya", updated_at=now)
    response = agent_client.post(
        f"/cases/{case.reference}/reply/preview/",
        {"reply-body": "**Hi** [x](javascript:alert(1)) <script>bad()</script>"},
    )
    body = response.content.decode()
    assert "<strong>Hi</strong>" in body
    assert "<script>" not in body
    assert 'href="javascript' not in body
    assert "Priya" in body


def test_a_reply_from_the_case_page_is_markdown_and_the_portal_shows_the_same(agent_client, case, customer_user):
    agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": "Your **refund** is on its way."})
    reply = Message.objects.get(case=case, kind="outbound")
    assert (reply.body_format, reply.body) == ("markdown", "Your **refund** is on its way.")
    assert "<strong>refund</strong>" in reply.body_html
    portal = signed_in(customer_user).get(f"/portal/cases/{case.reference}/").content.decode()
    assert "<strong>refund</strong>" in portal
