"""A reply written in a language other than the one the customer asked to be served in is
flagged beside the reply box, before it is sent (it is a hint: sending is never blocked)."""

from __future__ import annotations

import pytest

from rapport.customers.models import Customer

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ENGLISH_REPLY = (
    "Thank you for your message. We have refunded the money to your account today, and you will see it soon."
)
WELSH_REPLY = "Diolch am eich neges. Rydym wedi ad-dalu'r arian i'ch cyfrif heddiw, a byddwch yn ei weld cyn bo hir."


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def hints(agent_client, case, text):
    response = agent_client.post(f"/cases/{case.reference}/reply/wording/", {"reply-body": text}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_an_english_reply_to_a_welsh_speaker_is_flagged(agent_client, case):
    Customer.objects.filter(pk=case.customer_id).update(language="cy")

    html = hints(agent_client, case, ENGLISH_REPLY)

    assert "wording-language" in html
    assert "This customer asked to be served in Welsh, and this reply reads as English." in html


def test_a_welsh_reply_to_an_english_speaker_is_flagged(agent_client, case):
    html = hints(agent_client, case, WELSH_REPLY)

    assert "This customer asked to be served in English, and this reply reads as Welsh." in html


@pytest.mark.parametrize(("language", "text"), [("cy", WELSH_REPLY), ("en", ENGLISH_REPLY), ("cy", "Diolch!")])
def test_a_reply_in_the_customers_language_or_too_short_to_tell_is_not(agent_client, case, language, text):
    Customer.objects.filter(pk=case.customer_id).update(language=language)

    assert "wording-language" not in hints(agent_client, case, text)
