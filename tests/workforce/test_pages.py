"""Planning pages: forecast with accuracy, the staffing heat-map with its table, handling times, CSVs."""

from __future__ import annotations

import csv
import io

import pytest

from rapport.workforce.models import KnownEvent

pytestmark = pytest.mark.django_db


def test_forecast_page_shows_accuracy_beside_seasonal_naive(client, agent, history):
    client.force_login(agent)
    page = client.get("/planning/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Forecast accuracy per channel, beside seasonal-naive" in html
    assert "seasonal-naive" in html
    assert "Beats seasonal-naive" in html or "Does not beat seasonal-naive" in html
    assert "Expected contacts per day and channel" in html
    assert "Add a known event" not in html  # agents read the plan, planners change it


def test_team_leader_adds_a_known_event_from_the_page(client, team_leader):
    client.force_login(team_leader)
    bad = client.post(
        "/planning/", {"name": "", "first_day": "2026-04-01", "last_day": "2026-04-01", "uplift_percent": "10"}
    )
    assert bad.status_code == 422
    assert not KnownEvent.objects.exists()
    good = client.post(
        "/planning/",
        {
            "name": "Recall",
            "channel": "phone",
            "first_day": "2026-04-01",
            "last_day": "2026-04-02",
            "uplift_percent": "40",
        },
    )
    assert good.status_code == 302
    assert KnownEvent.objects.get().uplift_percent == 40


def test_agents_cannot_add_events(client, agent):
    client.force_login(agent)
    response = client.post(
        "/planning/", {"name": "x", "first_day": "2026-04-01", "last_day": "2026-04-01", "uplift_percent": "1"}
    )
    assert response.status_code == 404


def test_staffing_heat_map_is_a_real_table_with_numbers_in_every_cell(client, agent, history):
    client.force_login(agent)
    html = client.get("/planning/staffing/").content.decode()
    assert '<table class="heat-map">' in html
    assert "Staff required per interval and day" in html
    assert '<th scope="row">09:00</th>' in html
    assert 'class="heat-4"' in html  # the busiest cells are marked ...
    assert 'class="heat-4">0<' not in html  # ... and carry their number, never colour alone


def test_handling_times_page_shows_the_source(client, manager):
    client.force_login(manager)
    html = client.get("/planning/handling-times/").content.decode()
    assert "default (no data yet)" in html
    assert client.post("/planning/handling-times/", {"channel": "chat", "seconds": "420"}).status_code == 302
    assert "edited by a planner" in client.get("/planning/handling-times/").content.decode()


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/planning/forecast.csv", ["Channel", "Day", "Interval", "Contacts"]),
        (
            "/planning/accuracy.csv",
            [
                "Channel",
                "Origins",
                "WAPE",
                "Bias",
                "Seasonal-naive WAPE",
                "Seasonal-naive bias",
                "Beats seasonal-naive",
            ],
        ),
        ("/planning/staffing.csv", ["Channel", "Day", "Interval", "Contacts", "Required on the rota", "Service level"]),
    ],
)
def test_every_table_as_csv(client, agent, history, url, header):
    client.force_login(agent)
    response = client.get(url)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == header
    assert len(rows) > 1


def test_customers_get_not_found(client, customer_user):
    client.force_login(customer_user)
    assert client.get("/planning/").status_code == 404
