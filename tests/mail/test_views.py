"""The email page: managers look, admins retry quarantined mail and re-send failed email, nobody
else learns the page exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.mail.models import Mailbox, OutboxEmail, OutboxState, QuarantinedMail
from tests.conftest import make_user
from tests.mail.conftest import corpus
from tests.web.html_checks import page_problems

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("root@example.com", "a long admin password", name="Root")


@pytest.fixture
def filled(receive, now):
    Mailbox.objects.create(
        name="Support",
        address="support@rapport.example",
        host="imap.example",
        username="desk",
        last_error="LOGIN failed",
    )
    receive(corpus("no_sender.eml"))
    receive(b"Subject: nothing else\r\n\r\nno sender either\r\n")
    for i in range(3):
        OutboxEmail.objects.create(
            to=f"c{i}@example.com",
            subject=f"Reply {i}",
            text="x",
            message_id_header=f"m{i}@x",
            state=OutboxState.FAILED,
            attempts=10,
            last_error="SMTP 550",
            next_attempt_at=now,
            created_at=now,
        )


def test_managers_see_mailboxes_outbox_and_quarantine_in_constant_queries(manager, filled, django_assert_num_queries):
    client = signed_in(manager)
    # session, user, mailboxes, outbox counts, attention list, quarantine, delivery trouble, and the
    # header's "email is failing" and knowledge "reviews due" checks and unread notifications count
    with django_assert_num_queries(10):
        response = client.get(reverse("mail:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "LOGIN failed" in html
    assert "Reply 2" in html
    assert "no sender address" in html
    assert "Retry" not in html
    assert "Send again" not in html
    assert page_problems(html) == []


@pytest.mark.parametrize("role", ["agent", "team_leader", "customer"])
def test_others_get_not_found(role, db):
    user = make_user(f"{role}@example.com", role)
    assert signed_in(user).get(reverse("mail:index")).status_code == 404


def test_an_admin_retries_quarantined_mail(admin, filled):
    held = QuarantinedMail.objects.order_by("id").first()
    QuarantinedMail.objects.filter(pk=held.pk).update(raw=b"From: found@example.com\r\n" + bytes(held.raw))

    response = signed_in(admin).post(reverse("mail:quarantine_retry", args=[held.pk]), follow=True)

    held.refresh_from_db()
    assert held.state == "released"
    assert "The email was filed." in response.content.decode()


def test_a_manager_cannot_retry(manager, filled):
    held = QuarantinedMail.objects.first()
    assert signed_in(manager).post(reverse("mail:quarantine_retry", args=[held.pk])).status_code == 404
    held.refresh_from_db()
    assert held.state == "held"


def test_an_admin_sends_a_failed_email_again(admin, filled, now):
    email = OutboxEmail.objects.first()

    signed_in(admin).post(reverse("mail:outbox_resend", args=[email.pk]))

    email.refresh_from_db()
    assert email.state == OutboxState.QUEUED
    assert email.attempts == 0
    assert email.next_attempt_at > now - timedelta(days=1)


def test_the_admin_pages_for_mail_work(admin, filled):
    client = signed_in(admin)
    for model in ("mailbox", "mailmessage", "outboxemail", "quarantinedmail", "flaggedaddress", "mailtemplate"):
        assert client.get(reverse(f"admin:mail_{model}_changelist")).status_code == 200, model
    held = QuarantinedMail.objects.first()
    assert client.get(reverse("admin:mail_quarantinedmail_change", args=[held.pk])).status_code == 200


def test_a_mailbox_password_entered_in_admin_is_stored_encrypted(admin):
    from rapport.mail import credentials

    response = signed_in(admin).post(
        reverse("admin:mail_mailbox_add"),
        {
            "name": "Support",
            "address": "support@rapport.example",
            "host": "imap.example",
            "port": 993,
            "use_tls": "on",
            "folder": "INBOX",
            "username": "desk",
            "password_env": "",
            "password": "s3cret-imap",
            "active": "on",
        },
    )

    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert "s3cret-imap" not in mailbox.password_encrypted
    assert credentials.password_for(mailbox) == "s3cret-imap"


def test_the_email_link_is_in_the_navigation_for_managers(manager):
    html = signed_in(manager).get(reverse("home")).content.decode()
    assert f'href="{reverse("mail:index")}"' in html
