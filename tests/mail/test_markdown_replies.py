"""A reply written in Markdown goes as an HTML email with a plain-text part that reads well, and as
plain text only to a customer whose reasonable adjustments ask for it."""

from __future__ import annotations

import pytest

from rapport import extensions
from rapport.cases.services import message_add
from rapport.mail import outbound
from rapport.mail.models import OutboxEmail
from tests.mail.test_outbound import emailed_case, reply, smtp  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
BODY = "Your **refund** is on its way.\n\n- Amount: £49.99\n- See [our policy](https://example.com/refunds)"


def test_the_email_is_html_with_a_first_class_plain_text_part(agent, emailed_case, now, smtp):  # noqa: F811
    message = message_add(
        actor=agent, reference=emailed_case.reference, kind="outbound", body=BODY, body_format="markdown", now=now
    )
    email = OutboxEmail.objects.get(message=message)
    assert "<strong>refund</strong>" in email.html
    assert (
        email.text == "Your refund is on its way.\n\n- Amount: £49.99\n- See our policy (https://example.com/refunds)"
    )
    outbound.outbox_send(email_id=email.pk, now=now)
    [sent] = smtp.recorder.messages()
    parts = [part.get_content_type() for part in sent.walk()]
    assert parts.index("text/plain") < parts.index("text/html")


def test_plain_text_only_customers_get_no_html_anywhere(agent, emailed_case, now, monkeypatch):  # noqa: F811
    monkeypatch.setattr(
        extensions, "outbound_preferences", [lambda c: extensions.OutboundPreferences(plain_text_only=True)]
    )
    message = message_add(
        actor=agent, reference=emailed_case.reference, kind="outbound", body=BODY, body_format="markdown", now=now
    )
    assert (message.body_format, message.body_html) == ("text", "")
    email = OutboxEmail.objects.get(message=message)
    assert email.html == ""
    assert email.text == message.body
    assert "**" not in email.text


def test_existing_plain_text_replies_go_as_before(agent, emailed_case, now):  # noqa: F811
    message = reply(agent, emailed_case, now)
    assert (message.body_format, message.body_html) == ("text", "")
    email = OutboxEmail.objects.get(message=message)
    assert email.text == "We have rebooked your delivery for Thursday."
    assert email.html == "<p>We have rebooked your delivery for Thursday.</p>"
