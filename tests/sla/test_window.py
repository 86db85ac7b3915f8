"""The "breaching soon" window: a service manager sets it in admin (15 minutes to 7 days, 4 hours by
default); the queue, its caption and empty state, and the API use the window in force."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from rapport.accounts.models import User
from rapport.sla.models import BAD_BREACHING_SOON, SlaSettings
from rapport.web.templatetags.times import duration_words
from tests.web.conftest import signed_in

H = timedelta(hours=1)
REFERENCE = re.compile(r'<th scope="row"><a href="/cases/(C-\d+)/">')


@pytest.fixture(autouse=True)
def _clock(now, monkeypatch):
    # The case's first response is due at 14:00, four business hours after it opened at 10:00.
    monkeypatch.setattr(timezone, "now", lambda: now)


def window(value: timedelta) -> None:
    SlaSettings.objects.update_or_create(pk=1, defaults={"breaching_soon": value})


def test_the_default_window_is_four_hours(case, agent):
    html = signed_in(agent).get("/", {"queue": "breaching"}).content.decode()

    assert REFERENCE.findall(html) == [case.reference]
    assert "due to breach within 4 hours, or breached" in html


def test_a_narrower_window_leaves_later_cases_out_and_says_so(case, agent):
    client = signed_in(agent)
    client.get("/", {"queue": "breaching"})  # the 4-hour window is read, and kept by the process

    window(2 * H)  # saving drops the kept copy
    html = client.get("/", {"queue": "breaching"}).content.decode()

    assert REFERENCE.findall(html) == []
    assert "No active case is due to breach within 2 hours or has breached." in html


def test_a_wider_window_takes_later_cases_in(agent, customer, team, now):
    from rapport.cases.services import case_create
    from rapport.sla.models import Policy

    Policy.objects.create(
        name="Low", priority=1, calendar=Policy.objects.get(name="Standard").calendar, first_response=24 * H
    )
    later = case_create(
        actor=agent, customer=customer, subject="x", body="y", team=team, channel="email", priority="low", now=now
    )
    window(timedelta(days=7))

    html = signed_in(agent).get("/", {"queue": "breaching"}).content.decode()

    assert REFERENCE.findall(html) == [later.reference]  # due in 24 business hours: Thursday
    assert "due to breach within 7 days" in html


def test_other_queues_do_not_read_the_window(case, agent, django_assert_num_queries):
    from tests.web.test_queue import QUEUE_QUERIES

    client = signed_in(agent)
    client.get("/")  # warms the session and the owner and team lists
    with django_assert_num_queries(QUEUE_QUERIES - 5):  # lists, email and reviews checks, unread count reused
        html = client.get("/", {"queue": "all"}).content.decode()
    assert "due to breach within" not in html


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (timedelta(minutes=14, seconds=59), False),
        (timedelta(minutes=15), True),
        (timedelta(days=7), True),
        (timedelta(days=7, seconds=1), False),
    ],
)
def test_the_window_is_from_15_minutes_to_7_days(db, value, accepted):
    settings = SlaSettings(pk=1, breaching_soon=value)
    if accepted:
        settings.full_clean(validate_unique=False)
    else:
        with pytest.raises(ValidationError, match=re.escape(BAD_BREACHING_SOON)):
            settings.full_clean(validate_unique=False)


@pytest.fixture
def admin_client_(db) -> Client:
    admin = User.objects.create_superuser("root@example.com", "a long admin password", name="Root")
    client = Client()
    client.force_login(admin)
    return client


def test_a_service_manager_sets_the_window_in_admin(admin_client_):
    url = "/admin/sla/slasettings/1/change/"

    refused = admin_client_.post(url, {"breaching_soon": "00:10:00"})
    assert refused.status_code == 200
    assert BAD_BREACHING_SOON in refused.content.decode()
    assert SlaSettings.current().breaching_soon == 4 * H  # nothing saved

    saved = admin_client_.post(url, {"breaching_soon": "02:30:00"})
    assert saved.status_code == 302
    assert SlaSettings.current().breaching_soon == 2 * H + timedelta(minutes=30)
    assert admin_client_.get("/admin/sla/slasettings/").status_code == 200
    assert admin_client_.get("/admin/sla/slasettings/add/").status_code == 403  # one row only


def test_the_api_gives_the_window_and_its_queue_uses_it(client, auth, case, agent, customer_user):
    assert client.get("/api/v1/sla/settings", **auth(agent)).json() == {"breaching_soon_seconds": 4 * 3600}
    assert client.get("/api/v1/sla/settings", **auth(customer_user)).status_code == 404

    window(timedelta(minutes=30))

    assert client.get("/api/v1/sla/settings", **auth(agent)).json() == {"breaching_soon_seconds": 1800}
    body = client.get("/api/v1/cases", {"queue": "breaching"}, **auth(agent)).json()
    assert body["items"] == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (4 * H, "4 hours"),
        (H + timedelta(minutes=30), "1 hour 30 minutes"),
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=3), "2 days 3 hours"),
    ],
)
def test_duration_words(value, words):
    assert duration_words(value) == words
