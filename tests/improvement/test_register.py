"""The register of rules shows each setting's values as a person reads them, not as stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.improvement.wording import readable_values
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
OFFICE = {str(d): [["09:00", "17:30"]] for d in range(5)}


@pytest.fixture
def policy():
    from rapport.sla.models import Calendar, Policy

    office = Calendar.objects.create(name="Office", hours=OFFICE, tz="Europe/London", holidays="england")
    return Policy.objects.create(
        name="Standard", calendar=office, first_response=timedelta(hours=4), resolution=timedelta(days=2, hours=3)
    )


def test_values_read_with_labels_units_and_words(policy):
    from rapport.platform import settings_history

    calendar = dict(readable_values("sla.calendar", settings_history.snapshot(policy.calendar)))
    assert calendar["Hours"] == "Mon\u2013Fri 9:00\u201317:30"
    assert calendar["Bank holidays"] == "England and Wales"
    assert calendar["Closures"] == "\u2014"

    values = dict(readable_values("sla.policy", settings_history.snapshot(policy)))
    assert values["First response"] == "4 hours"
    assert values["Resolution"] == "2 days 3 hours"
    assert values["Next response"] == "\u2014"
    assert values["Internal (OLA)"] == "No"
    assert values["Warn at % elapsed"] == "75%"
    assert values["Calendar"] == "Office"


def test_dates_and_money_read_as_people_write_them():
    from django.db import models

    from rapport.improvement.wording import value_words

    assert value_words(models.DateField(), "review_on", "2026-12-05") == "5 December 2026"
    assert value_words(models.DateTimeField(), "at", "2026-12-05T14:30:00Z") == "5 December 2026 14:30"
    assert value_words(models.DecimalField(decimal_places=2), "limit", "250.00") == "\u00a3250"
    assert value_words(models.PositiveIntegerField(), "retention_days", 30) == "30 days"


def test_unknown_models_fall_back_to_the_stored_text():
    assert readable_values("nowhere.nothing", {"a_field": [1, 2]}) == [("A field", "1, 2")]


def test_the_register_page_shows_readable_values(policy, manager, django_assert_max_num_queries):
    client = signed_in(manager)
    with django_assert_max_num_queries(40):
        html = client.get("/improvement/rules/").content.decode()

    assert "Mon\u2013Fri 9:00\u201317:30" in html
    assert "<dd>4 hours</dd>" in html
    assert "P0DT04H00M00S" not in html
    assert "{&#x27;0&#x27;" not in html


def test_the_api_gives_readable_values_beside_the_stored_ones(client, policy, manager, auth):
    rules = client.get("/api/v1/improvement/rules", **auth(manager)).json()

    standard = next(r for r in rules if r["name"] == "Standard")
    assert standard["values"]["first_response"] == "P0DT04H00M00S"
    assert {"label": "First response", "value": "4 hours"} in standard["readable"]
