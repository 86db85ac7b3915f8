"""My cases: the customer's own cases in plain words, a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case
from rapport.cases.services import case_update


def make_cases(customer, now, count):
    return Case.objects.bulk_create(
        Case(
            subject=f"Case number {i}",
            channel="portal",
            customer=customer,
            created_at=now,
            updated_at=now - timedelta(minutes=i // 3),
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("new", "Received"),
        ("open", "We&#x27;re working on it"),
        ("waiting_on_customer", "Waiting for your reply"),
        ("waiting_on_third_party", "We&#x27;re working on it"),
        ("resolved", "Resolved"),
        ("closed", "Closed"),
    ],
)
def test_status_is_shown_in_words_the_public_understand(portal, case, agent, status, words):
    if status != "new":
        case_update(actor=agent, reference=case.reference, expected_version=1, changes={"status": status})

    html = portal.get("/portal/").content.decode()

    assert f'<span class="status status-{status}">{words}</span>' in html
    assert "waiting_on" not in html.replace("status-waiting_on", "")


def test_no_cases_yet_offers_a_way_to_raise_one(portal):
    response = portal.get("/portal/")

    html = response.content.decode()
    assert "You haven't raised any cases yet" in html
    assert 'href="/portal/cases/new/"' in html
    assert "<table" not in html


@pytest.mark.parametrize("size", [5, 20])
def test_the_list_costs_the_same_queries_whatever_the_page_size(
    portal, customer, now, settings, size, django_assert_num_queries
):
    # Given more cases than either page holds
    make_cases(customer, now, 30)
    settings.RAPPORT_PAGE_SIZE = size

    # session, user, their customer record, the policy's customer scope, the page itself, and the
    # cases' open promises with their calendars' time zones
    with django_assert_num_queries(6):
        response = portal.get("/portal/")

    assert response.content.decode().count('<a href="/portal/cases/C-') == size


def test_following_older_cases_visits_every_case_once(portal, customer, other_customer, now, settings):
    mine = make_cases(customer, now, 12)
    make_cases(other_customer, now, 3)
    settings.RAPPORT_PAGE_SIZE = 5
    seen, url, pages = [], "/portal/", 0

    while url:
        html = portal.get(url).content.decode()
        pages += 1
        seen += [c.reference for c in mine if f'href="/portal/cases/{c.reference}/"' in html]
        url = None
        if "Older cases" in html:
            cursor = html.split('href="?after=')[1].split('"')[0]
            url = f"/portal/?after={cursor}"

    assert pages == 3
    assert sorted(seen) == sorted(c.reference for c in mine)
    assert len(seen) == len(set(seen))


def test_a_mangled_page_link_shows_the_latest_cases_instead_of_an_error(portal, case):
    response = portal.get("/portal/?after=not-a-cursor!!")

    html = response.content.decode()
    assert response.status_code == 200
    assert "That page link has expired" in html
    assert "Broken kettle" in html
