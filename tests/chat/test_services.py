"""Chats through the core case services: the transcript is the case timeline, each client id is
filed once, notes never reach the customer, capacity, transfer, the first-answer target, the
offline form, the identity handoff and routing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.models import CaseEvent, Message
from rapport.chat import services
from rapport.chat.models import Chat, ChatLine, ChatStatus
from rapport.customers.models import Customer
from rapport.domain import chat as rules
from rapport.platform.errors import FieldError, Forbidden, NotFound
from tests.conftest import make_user


def test_a_chat_is_a_case_on_the_chat_channel_with_the_customers_words(started, site, team):
    chat, token = started
    assert chat.status == ChatStatus.WAITING
    assert chat.case.channel == "chat"
    assert chat.case.team_id == team.pk
    assert chat.case.messages.get().body == "Where is my parcel?"
    assert services.chat_for_token(token) == chat
    assert len(token) >= 40
    assert chat.token_digest != token


def test_the_pre_chat_form_names_every_bad_field(site, now):
    with pytest.raises(FieldError) as refused:
        services.chat_start(
            site=site,
            name="",
            email="not-an-address",
            topic="",
            adjustment="Telepathy",
            language="fr",
            consent=False,
            now=now,
        )
    assert set(refused.value.errors) == {"name", "email", "topic", "adjustment", "language", "consent"}
    assert not Chat.objects.exists()


def test_customer_messages_are_filed_once_per_client_id(started, now):
    chat, _ = started
    first, created = services.customer_says(chat=chat, client_id="c-1", body="Order 48213", now=now)
    again, created_again = services.customer_says(chat=chat, client_id="c-1", body="Order 48213", now=now)
    assert created
    assert not created_again
    assert first["seq"] == again["seq"] == 1
    assert chat.case.messages.filter(channel="chat", kind="inbound").count() == 2  # the topic and the message
    assert CaseEvent.objects.filter(case=chat.case, kind="message").count() == 2  # journal events, as for any message


def test_agents_answer_notes_stay_inside_and_the_first_answer_is_timed(started, chat_agent, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    services.customer_says(chat=chat, client_id="c-1", body="Hello?", now=now)
    services.agent_says(
        actor=chat_agent,
        chat_id=chat.pk,
        client_id="a-1",
        body="Checking the courier.",
        note=True,
        now=now + timedelta(seconds=10),
    )
    line, _ = services.agent_says(
        actor=chat_agent, chat_id=chat.pk, client_id="a-2", body="It arrives today.", now=now + timedelta(seconds=30)
    )
    chat.refresh_from_db()
    assert chat.answered_at == now + timedelta(seconds=30)
    assert chat.breached_at is None
    assert chat.case.owner_id == chat_agent.pk
    customer_view = services.lines_after(chat, 0, staff=False)
    assert [x["body"] for x in customer_view] == ["Hello?", "It arrives today."]
    assert all(set(x) <= {"seq", "client_id", "sender", "name", "body", "at"} for x in customer_view)
    assert [x["sender"] for x in services.lines_after(chat, 0, staff=True)] == ["customer", "note", "agent"]
    assert Message.objects.get(pk=ChatLine.objects.get(chat=chat, client_id="a-1").message_id).kind == "note"
    assert line["seq"] == 3


def test_a_reconnecting_client_gets_only_what_it_missed(started, now):
    chat, _ = started
    for i in range(1, 5):
        services.customer_says(chat=chat, client_id=f"c-{i}", body=f"line {i}", now=now)
    assert [x["seq"] for x in services.lines_after(chat, 2, staff=False)] == [3, 4]


def test_capacity_bounds_the_chats_an_agent_takes(site, chat_agent, now):
    chats = [
        services.chat_start(site=site, name=f"Customer {i}", email="", topic="Help", consent=True, now=now)[0]
        for i in range(3)
    ]
    services.chat_accept(actor=chat_agent, chat_id=chats[0].pk, now=now)
    services.chat_accept(actor=chat_agent, chat_id=chats[1].pk, now=now)
    with pytest.raises(Forbidden, match="capacity"):
        services.chat_accept(actor=chat_agent, chat_id=chats[2].pk, now=now)
    assert Chat.objects.get(pk=chats[2].pk).status == ChatStatus.WAITING


def test_another_agents_chat_is_not_yours(started, chat_agent, team, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    colleague = make_user("colleague@example.com", "agent", [team])
    with pytest.raises(Forbidden):
        services.agent_says(actor=colleague, chat_id=chat.pk, client_id="x", body="Hi", now=now)
    outsider = make_user("outsider@example.com", "agent", [])
    with pytest.raises(NotFound):  # missing or forbidden: the same answer
        services.chat_accept(actor=outsider, chat_id=chat.pk + 999, now=now)


def test_transfer_to_a_colleague_or_back_to_a_team(started, chat_agent, team, other_team, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    colleague = make_user("colleague@example.com", "agent", [team])
    moved = services.chat_transfer(actor=chat_agent, chat_id=chat.pk, to_user=colleague.pk, now=now)
    moved.case.refresh_from_db()
    assert moved.agent_id == colleague.pk
    assert moved.case.owner_id == colleague.pk
    queued = services.chat_transfer(actor=colleague, chat_id=chat.pk, to_team=other_team.pk, now=now)
    queued.case.refresh_from_db()
    assert queued.status == ChatStatus.WAITING
    assert queued.case.team_id == other_team.pk
    assert queued.case.owner_id is None
    with pytest.raises(FieldError):
        services.chat_transfer(actor=chat_agent, chat_id=chat.pk, now=now)


def test_a_late_first_answer_is_a_breach_recorded_when_it_happens(started, chat_agent, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    services.agent_says(
        actor=chat_agent, chat_id=chat.pk, client_id="a", body="Sorry to keep you.", now=now + timedelta(seconds=75)
    )
    chat.refresh_from_db()
    assert chat.breached_at == now + timedelta(seconds=75)


def test_the_scheduled_check_records_an_unanswered_breach_at_its_due_instant(started, now):
    chat, _ = started
    assert not services.first_answer_check(chat_id=chat.pk, now=now + timedelta(seconds=59))
    assert services.first_answer_check(chat_id=chat.pk, now=now + timedelta(seconds=61))
    chat.refresh_from_db()
    assert chat.breached_at == chat.first_answer_due
    assert not services.first_answer_check(chat_id=chat.pk, now=now + timedelta(seconds=90))  # once


def test_after_the_chat_the_transcript_goes_by_email_on_request(started, chat_agent, now):
    chat, _ = started
    services.chat_accept(actor=chat_agent, chat_id=chat.pk, now=now)
    services.customer_says(chat=chat, client_id="c", body="Thanks!", now=now)
    services.agent_says(
        actor=chat_agent, chat_id=chat.pk, client_id="n", body="Customer sounded upset.", note=True, now=now
    )
    ended = services.chat_end(chat_id=chat.pk, now=now)
    services.chat_rate(chat=ended, score=5, now=now)
    sent = services.transcript_send(chat=Chat.objects.get(pk=chat.pk), now=now)
    assert sent is not None
    assert sent.channel == "email"
    assert sent.kind == "outbound"
    assert "Thanks!" in sent.body
    assert "upset" not in sent.body
    assert Chat.objects.get(pk=chat.pk).csat == 5
    with pytest.raises(Forbidden):
        services.customer_says(chat=ended, client_id="late", body="one more", now=now)
    with pytest.raises(FieldError):
        services.chat_rate(chat=ended, score=9, now=now)


def test_the_offline_form_makes_an_email_case(site, team, now):
    case = services.offline_message(
        site=site,
        name="Eilidh Ross",
        email="eilidh@example.co.uk",
        topic="Opening hours",
        body="Are you open on Sunday?",
        now=now,
    )
    case.refresh_from_db()
    assert case.channel == "email"
    assert case.team_id == team.pk
    assert case.customer.email == "eilidh@example.co.uk"
    with pytest.raises(FieldError) as refused:
        services.offline_message(site=site, name="", email="", topic="", body="", now=now)
    assert set(refused.value.errors) == {"name", "email", "topic", "body"}


def test_a_signed_identity_joins_the_customers_history_and_a_typed_email_does_not(site, customer, now):
    secret = services.identity_secret(site)
    signature = rules.identity_signature(secret, "web-7", customer.email)
    chat, _ = services.chat_start(
        site=site,
        name="Alice",
        email=customer.email,
        topic="Billing",
        consent=True,
        identity_id="web-7",
        identity_signature=signature,
        now=now,
    )
    assert chat.customer_id == customer.pk
    assert chat.identity_verified
    impostor, _ = services.chat_start(
        site=site, name="Alice", email=customer.email, topic="Billing", consent=True, now=now
    )
    assert impostor.customer_id != customer.pk
    assert not impostor.identity_verified
    with pytest.raises(FieldError) as refused:
        services.chat_start(
            site=site,
            name="Alice",
            email=customer.email,
            topic="Billing",
            consent=True,
            identity_id="web-8",
            identity_signature=signature,
            now=now,
        )
    assert "identity" in refused.value.errors


def test_a_portal_customer_chats_as_themselves(site, customer, customer_user, now):
    chat, _ = services.chat_start(
        site=site, name="", email="", topic="My case", consent=True, portal_user=customer_user, now=now
    )
    assert chat.customer_id == customer.pk
    assert Customer.objects.count() == 1


def test_routing_assigns_the_chat_when_installed(site, chat_agent, now, monkeypatch):
    calls = []

    def router(case, method, at):
        calls.append((case.pk, method))
        return extensions.RoutingOutcome(chat_agent.pk, "Welsh speaker available")

    monkeypatch.setattr(extensions, "routers", [router])  # what chat asks of routing, whichever is installed
    chat, _ = services.chat_start(site=site, name="Siân", email="", topic="Bil", language="cy", consent=True, now=now)
    assert calls == [(chat.case_id, "skills")]
    assert chat.status == ChatStatus.ACTIVE
    assert chat.agent_id == chat_agent.pk
    assert chat.language == "cy"
    assert chat.routing_reason == "Welsh speaker available"


def test_the_rate_limit_is_shared_through_the_cache(now):
    allowed = [services.rate_allowed("k", now=now, per_minute=1, burst=2) for _ in range(3)]
    assert allowed == [True, True, False]


def test_chat_figures_for_the_dashboards(site, chat_agent, now):
    from django.db.models import Q

    scope = extensions.KpiScope(cases=lambda prefix: Q(), start=now - timedelta(hours=1), end=now + timedelta(hours=1))
    assert extensions.kpi("chat_first_answer", scope) is None  # nothing decided yet
    quick, _ = services.chat_start(site=site, name="A", email="", topic="t", consent=True, now=now)
    slow, _ = services.chat_start(site=site, name="B", email="", topic="t", consent=True, now=now)
    services.chat_accept(actor=chat_agent, chat_id=quick.pk, now=now)
    services.agent_says(actor=chat_agent, chat_id=quick.pk, client_id="a", body="Hi", now=now + timedelta(seconds=5))
    services.first_answer_check(chat_id=slow.pk, now=now + timedelta(minutes=5))
    assert extensions.kpi("chat_first_answer", scope) == 50.0
    services.chat_rate(chat=quick, score=4, now=now)
    services.chat_rate(chat=slow, score=2, now=now)
    assert extensions.kpi("chat_csat", scope) == 3.0
