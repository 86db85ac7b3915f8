"""Failing delivery is visible: a warning on the email page and in every desk header, and each
emailed reply on the timeline says where it stands (queued, sent, trying again, failed, bounced)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from rapport.cases.services import message_add
from rapport.mail import outbound
from rapport.mail.hooks import EMAIL_FAILING, EMAIL_FAILING_AGENT
from rapport.mail.models import OutboxEmail, OutboxState
from rapport.mail.selectors import delivery_states, mail_failing
from tests.mail.smtp_server import free_port

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def no_mail_server(settings):
    """SMTP pointed at a port nobody listens on, as on a machine with no mail server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def reply(agent, case, now, body="We have rebooked your delivery for Thursday."):
    return message_add(actor=agent, reference=case.reference, kind="outbound", body=body, now=now)


def tried_and_failed(email_id, now):
    """One real attempt against the absent server."""
    return outbound.outbox_send(email_id=email_id, now=now)


# --- the email page ------------------------------------------------------------------------------


def test_the_email_page_warns_when_nothing_can_be_sent(manager, agent, case, now, no_mail_server):
    # given: three replies queued, each tried once against a server that is not there
    for i in range(3):
        reply(agent, case, now, body=f"Reply {i}")
    for email in OutboxEmail.objects.all():
        assert tried_and_failed(email.pk, now) == OutboxState.QUEUED

    # when
    html = signed_in(manager).get(reverse("mail:index")).content.decode()

    # then: a warning, the cause, and the emails listed: never "nothing needs attention"
    assert "Email is not being delivered" in html
    assert "3 waiting to be tried again after failing" in html
    assert "Connection" in html  # the last error names the cause (connection refused)
    assert "Nothing in the outbox needs attention" not in html
    assert html.count("Failed, trying again") == 3


def test_emails_nobody_has_tried_for_a_while_mean_no_worker_is_sending(manager, agent, case, now):
    reply(agent, case, now)
    OutboxEmail.objects.update(next_attempt_at=now - timedelta(hours=1))

    html = signed_in(manager).get(reverse("mail:index")).content.decode()

    assert "Email is not being delivered" in html
    assert "1 not yet tried although due (is the worker running?)" in html


def test_a_healthy_outbox_shows_no_warning(manager, agent, case, now, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reply(agent, case, now)
    assert outbound.outbox_send(email_id=OutboxEmail.objects.get().pk, now=now) == OutboxState.SENT

    html = signed_in(manager).get(reverse("mail:index")).content.decode()

    assert "Email is not being delivered" not in html
    assert "Nothing in the outbox needs attention" in html
    assert "Warning:" not in html


# --- the desk's header -----------------------------------------------------------------------------


def test_every_member_of_staff_is_warned_in_the_header(agent, manager, case, now, no_mail_server):
    reply(agent, case, now)
    tried_and_failed(OutboxEmail.objects.get().pk, now)

    agent_html = signed_in(agent).get("/").content.decode()
    manager_html = signed_in(manager).get("/").content.decode()

    assert EMAIL_FAILING_AGENT in agent_html
    assert 'href="/mail/"' not in agent_html  # agents may not open the email page
    assert EMAIL_FAILING in manager_html
    assert '<a href="/mail/">See the outbox</a>' in manager_html


def test_customers_never_see_the_warning(customer_user, customer, agent, case, now, no_mail_server):
    reply(agent, case, now)
    tried_and_failed(OutboxEmail.objects.get().pk, now)

    html = signed_in(customer_user).get(reverse("portal:home")).content.decode()

    assert "Email is not being delivered" not in html


def test_the_header_check_is_one_query_then_reused(agent, case, now, no_mail_server, django_assert_num_queries):
    reply(agent, case, now)
    tried_and_failed(OutboxEmail.objects.get().pk, now)

    with django_assert_num_queries(1):
        assert mail_failing() is True
        assert mail_failing() is True  # the process's copy, for up to a minute


def test_a_failure_given_up_on_long_ago_no_longer_warns_the_desk(agent, case, now):
    reply(agent, case, now)
    long_ago = now - timedelta(days=3)
    OutboxEmail.objects.update(state=OutboxState.FAILED, attempts=10, claimed_at=long_ago, last_error="SMTP 550")

    assert mail_failing() is False  # still listed on the email page for an admin to act on


# --- each reply's delivery state on the timeline ---------------------------------------------------


def test_each_emailed_reply_shows_its_delivery_state(agent, case, now, no_mail_server):
    states = [OutboxState.QUEUED, OutboxState.SENT, OutboxState.FAILED, OutboxState.BOUNCED]
    messages = [reply(agent, case, now + timedelta(minutes=i), body=f"Reply {i}") for i in range(5)]
    for message, state in zip(messages, states, strict=False):
        OutboxEmail.objects.filter(message=message).update(state=state)
    retrying = OutboxEmail.objects.get(message=messages[4])
    assert tried_and_failed(retrying.pk, now + timedelta(minutes=5)) == OutboxState.QUEUED

    html = signed_in(agent).get(reverse("cases:detail", args=[case.reference])).content.decode()

    def entry(message):
        start = html.index(f'id="message-{message.pk}"')
        return html[start : html.index("</li>", start)]

    assert '<span class="delivery delivery-queued">Email: Queued to send</span>' in entry(messages[0])
    assert '<span class="delivery delivery-sent">Email: Sent</span>' in entry(messages[1])
    assert "Email: Not delivered: sending failed" in entry(messages[2])
    assert "Email: Bounced: the customer&#x27;s mail server refused it" in entry(messages[3])
    assert "Email: Not delivered yet, trying again at" in entry(messages[4])
    assert 'title="Tried 1 time: ' in entry(messages[4])


def test_delivery_states_are_one_query_for_any_number_of_replies(agent, case, now, django_assert_num_queries):
    ids = [reply(agent, case, now, body=f"Reply {i}").pk for i in range(6)]

    with django_assert_num_queries(1):
        states = delivery_states(ids)

    assert {state.state for state in states.values()} == {"queued"}
    assert set(states) == set(ids)
    with django_assert_num_queries(0):
        assert delivery_states([]) == {}


def test_a_bounce_marks_the_reply_as_bounced(receive, agent, case, now):
    message = reply(agent, case, now)
    sent = OutboxEmail.objects.get(message=message)
    OutboxEmail.objects.filter(pk=sent.pk).update(state=OutboxState.SENT)
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: support@rapport.example\n"
        "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce-9@mx.example.com>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        "--r\nContent-Type: text/plain\n\nCould not be delivered.\n\n"
        "--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
        "Final-Recipient: rfc822; alice@example.com\nAction: failed\nStatus: 5.1.1\n\n"
        f"--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: <{sent.message_id_header}>\n\n--r--\n"
    ).encode()

    receive(bounce, now=now + timedelta(hours=1))

    sent.refresh_from_db()
    assert sent.state == OutboxState.BOUNCED
    assert delivery_states([message.pk])[message.pk].state == "bounced"
