"""The reply's wording hints on the case page: as the agent types (htmx), with "Check wording"
without JavaScript, only for people who may work the case, and never a bar to sending."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rapport.cases.models import Message
from rapport.cases.services import REPLY_REQUIRED

HTMX = {"HTTP_HX_REQUEST": "true"}
HARSH = "Unfortunately there's nothing we can do. Your SR is in the L2 queue."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent_client(agent):
    return signed_in(agent)


def test_the_case_page_offers_check_wording_and_a_debounced_hint_region(agent_client, case):
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert re.search(r'<button type="submit" class="secondary" name="check-wording"', page)
    region = re.search(r'<div id="reply-wording"[^>]*>', page, re.DOTALL).group(0)
    assert 'aria-live="polite"' in region
    assert "delay:800ms from:#id_reply-body" in region
    assert f"/cases/{case.reference}/reply/wording/" in region


def test_the_hints_quote_each_passage_in_an_accessible_list(agent_client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = agent_client.post(f"/cases/{case.reference}/reply/wording/", {"reply-body": HARSH}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert '<h3 id="reply-wording-title">Wording hints</h3>' in body
    assert '<ul class="wording-hints" aria-labelledby="reply-wording-title">' in body
    assert "<q>Unfortunately there&#x27;s nothing we can do</q>" in body
    assert "<q>L2</q>" in body
    assert "you can send the reply as it is" in body


def test_the_agents_text_is_escaped(agent_client, case):
    body = agent_client.post(
        f"/cases/{case.reference}/reply/wording/", {"reply-body": "We can't <script>x()</script>"}
    ).content.decode()
    assert "<script>" not in body
    assert "<q>We can&#x27;t &lt;script&gt;x()&lt;/script&gt;</q>" in body


def test_a_clean_reply_says_so_and_an_empty_one_shows_nothing(agent_client, case):
    url = f"/cases/{case.reference}/reply/wording/"
    clean = agent_client.post(url, {"reply-body": "I have booked the engineer for Tuesday at 10am."}).content.decode()
    assert "No wording hints for this reply." in clean
    assert agent_client.post(url, {"reply-body": "   "}).content.decode().strip() == ""


def test_a_complaint_reply_is_checked_for_empathy(agent_client, case):
    url = f"/cases/{case.reference}/reply/wording/"
    text = "Your refund has been issued and will reach you on Friday."
    assert "No empathy" not in agent_client.post(url, {"reply-body": text}).content.decode()
    case.type = "complaint"
    case.save(update_fields=["type"])
    assert "No empathy" in agent_client.post(url, {"reply-body": text}).content.decode()


def test_a_reply_too_long_to_check_says_so(agent_client, case):
    body = agent_client.post(f"/cases/{case.reference}/reply/wording/", {"reply-body": "a" * 20_001}).content.decode()
    assert "too long to check" in body


def test_without_javascript_check_wording_redraws_the_page_with_the_reply_kept_and_sends_nothing(agent_client, case):
    response = agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": HARSH, "check-wording": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<q>L2</q>" in page
    assert re.search(r'<textarea name="reply-body"[^>]*>\s*Unfortunately there&#x27;s nothing we can do', page)
    assert not Message.objects.filter(case=case, kind="outbound").exists()


def test_hints_never_block_sending(agent_client, case):
    response = agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": HARSH})
    assert response.status_code == 302
    assert Message.objects.get(case=case, kind="outbound").body == HARSH


def test_only_people_who_can_see_the_case_get_hints(client, customer_user, other_agent, case):
    url = f"/cases/{case.reference}/reply/wording/"
    assert signed_in(other_agent).post(url, {"reply-body": HARSH}).status_code == 404
    assert signed_in(customer_user).post(url, {"reply-body": HARSH}).status_code in {302, 403, 404}
    assert client.post(url, {"reply-body": HARSH}).status_code == 302


def test_checking_an_empty_reply_shows_no_error(agent_client, case):
    page = agent_client.post(
        f"/cases/{case.reference}/reply/", {"reply-body": "", "check-wording": "1"}
    ).content.decode()
    assert "Wording hints" not in page
    assert REPLY_REQUIRED not in page
