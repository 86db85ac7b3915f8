"""The widget's endpoints (allowed origins only, CORS for that origin, rate limits, errors naming the
field), the console page, and /api/v1/chats and /api/v1/chat/availability."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from rapport.accounts.services import token_create
from rapport.cases.models import Case
from rapport.chat import services
from rapport.chat.models import AgentChat, Chat, ChatLine
from tests.chat.conftest import ORIGIN


def post(client, path, data, origin=ORIGIN):
    return client.post(path, json.dumps(data), content_type="text/plain", HTTP_ORIGIN=origin)


@pytest.fixture
def client():
    return Client()


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)[1]}"}


def test_config_answers_an_allowed_origin_with_cors_for_it_alone(client, site):
    response = client.get("/chat/w/website/config", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    body = response.json()
    assert body["open"] is False
    assert body["reason"] == "nobody_available"
    assert body["adjustments"] == ["Extra time to reply", "Plain English"]
    assert body["welsh"] is True
    refused = client.get("/chat/w/website/config", HTTP_ORIGIN="https://evil.example.com")
    assert refused.status_code == 422
    assert "Access-Control-Allow-Origin" not in refused
    assert refused.json()["errors"] == [{"field": "origin", "message": services.NOT_ALLOWED_ORIGIN}]
    assert client.get("/chat/w/nosuchsite/config", HTTP_ORIGIN=ORIGIN).status_code == 404


def test_config_gives_the_expected_wait_when_agents_are_available(client, site, chat_agent, now, settings):
    AgentChat.objects.filter(user=chat_agent).update(seen_at=now.now(now.tzinfo))
    body = client.get("/chat/w/website/config", HTTP_ORIGIN=ORIGIN).json()
    assert body["open"] is True
    assert body["expected_wait_seconds"] is not None


def test_the_pre_chat_form_starts_a_chat_and_names_bad_fields(client, site):
    made = post(client, "/chat/w/website/start", {"name": "Rhys Evans", "topic": "A question", "consent": True})
    assert made.status_code == 201
    assert made["Access-Control-Allow-Origin"] == ORIGIN
    assert Chat.objects.get().case.reference == made.json()["case"]
    assert made.json()["websocket"].endswith("/ws/chat/")
    bad = post(client, "/chat/w/website/start", {"name": "", "topic": "", "consent": "yes"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"name", "topic", "consent"}
    assert post(client, "/chat/w/website/start", "not an object").status_code == 422
    junk = client.post("/chat/w/website/start", b"{not json", content_type="text/plain", HTTP_ORIGIN=ORIGIN)
    assert junk.status_code == 422
    assert junk.json()["errors"][0]["field"] == "body"
    assert post(client, "/chat/w/website/start", {"name": "x"}, origin="https://evil.example.com").status_code == 422
    assert Chat.objects.count() == 1


def test_starting_chats_is_rate_limited_per_address(client, site):
    answers = [
        post(
            client, "/chat/w/website/offline", {"name": "A", "email": "a@example.com", "topic": "t", "body": "b"}
        ).status_code
        for _ in range(7)
    ]
    assert answers[:5] == [201] * 5
    assert answers[-1] == 422


def test_the_offline_form_makes_an_email_case(client, site):
    made = post(
        client,
        "/chat/w/website/offline",
        {"name": "Morag Stewart", "email": "morag@example.co.uk", "topic": "Opening hours", "body": "Open Sunday?"},
    )
    assert made.status_code == 201
    case = Case.objects.get()
    assert case.reference == made.json()["case"]
    assert case.channel == "email"


def test_the_widget_catalogue_is_json(client):
    response = client.get("/chat/jsi18n/?language=cy")
    assert response.status_code == 200
    assert "catalog" in response.json()


def test_the_console_is_for_staff(client, chat_agent, customer_user, started):
    client.force_login(customer_user)
    assert client.get("/chat/console/").status_code == 404
    client.force_login(chat_agent)
    page = client.get("/chat/console/")
    assert page.status_code == 200
    assert b"Where is my parcel?" in page.content
    assert b"/ws/chat/agent/" in page.content


def test_api_lists_chats_in_a_fixed_number_of_queries(client, site, chat_agent, now, django_assert_max_num_queries):
    for i in range(6):
        services.chat_start(
            site=site, name=f"Customer {i}", email="", topic="Help", consent=True, now=now + timedelta(minutes=i)
        )
    headers = bearer(chat_agent)
    with django_assert_max_num_queries(6):
        page = client.get("/api/v1/chats?limit=4", **headers)
    assert page.status_code == 200
    body = page.json()
    assert len(body["items"]) == 4
    assert body["next_before"] == body["items"][-1]["id"]
    rest = client.get(f"/api/v1/chats?limit=4&before={body['next_before']}", **headers).json()
    assert len(rest["items"]) == 2
    assert client.get("/api/v1/chats?status=nonsense", **headers).status_code == 422


def test_api_transcript_marks_notes_internal_and_customers_get_nothing(client, started, chat_agent, customer_user, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    services.customer_says(chat=chat, client_id="c", body="Hello", now=now)
    services.agent_says(actor=chat_agent, chat_id=chat.pk, client_id="n", body="VIP", note=True, now=now)
    body = client.get(f"/api/v1/chats/{chat.pk}/transcript", **bearer(chat_agent)).json()
    assert [(x["sender"], x["internal"]) for x in body["lines"]] == [("customer", False), ("note", True)]
    assert client.get(f"/api/v1/chats/{chat.pk}/transcript", **bearer(customer_user)).status_code in {403, 404}
    assert client.get(f"/api/v1/chats/{chat.pk + 99}/transcript", **bearer(chat_agent)).status_code == 404


def test_api_availability(client, site, chat_agent):
    body = client.get("/api/v1/chat/availability?site=website", **bearer(chat_agent)).json()
    assert set(body) == {"open", "reason", "agents", "waiting", "expected_wait_seconds"}
    assert client.get("/api/v1/chat/availability?site=nope", **bearer(chat_agent)).status_code == 404


def test_a_customer_sends_a_file_with_the_portals_checks(client, started):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chat, token = started
    pdf = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 a receipt", content_type="application/pdf")
    sent = client.post("/chat/w/website/upload", {"token": token, "client_id": "f-1", "file": pdf}, HTTP_ORIGIN=ORIGIN)
    assert sent.status_code == 201
    message = chat.case.messages.get(chat_line__client_id="f-1")
    assert [a.filename for a in message.attachments.all()] == ["receipt.pdf"]
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00 not allowed", content_type="application/octet-stream")
    refused = client.post(
        "/chat/w/website/upload", {"token": token, "client_id": "f-2", "file": script}, HTTP_ORIGIN=ORIGIN
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "attachments"
    assert not ChatLine.objects.filter(client_id="f-2").exists()
    unknown = client.post("/chat/w/website/upload", {"token": "nope", "client_id": "x"}, HTTP_ORIGIN=ORIGIN)
    assert unknown.status_code == 404


def test_the_portal_offers_the_same_chat_without_a_query(client, customer, customer_user, site):
    client.force_login(customer_user)
    html = client.get("/portal/").content.decode()
    assert 'src="/static/chat/widget.js" data-site="website"' in html


def test_the_chats_page_lists_in_a_fixed_number_of_queries_with_csv(
    client, site, chat_agent, now, django_assert_max_num_queries
):
    for i in range(3):
        services.chat_start(site=site, name=f"Customer {i}", email="", topic=f"Topic {i}", consent=True, now=now)
    client.force_login(chat_agent)
    client.get("/chat/")  # the session and the user are loaded once, as on every page
    with django_assert_max_num_queries(12):
        page = client.get("/chat/").content.decode()
    assert page.count('<th scope="row">') == 3
    csv = client.get("/chat/?format=csv").content.decode().splitlines()
    assert csv[0].startswith("Case,Customer,Topic")
    assert len(csv) == 4
    assert "No chats with this status yet" in client.get("/chat/?status=ended").content.decode()
