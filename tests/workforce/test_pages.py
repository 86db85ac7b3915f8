"""Planning pages: forecast with accuracy, the staffing heat-map with its table, handling times, CSVs."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.workforce.models import KnownEvent, Shift, StatusChange

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
    assert "Staff on the rota against staff required" in html
    assert '<th scope="row">09:00</th>' in html
    # nobody is rostered, so busy intervals are understaffed: shaded, marked and said in words
    assert 'class="rota-under">0 / ' in html
    assert '<span class="visually-hidden">understaffed</span>' in html
    assert "intervals understaffed" in html


def test_what_if_adds_demand_and_people(client, agent, history):
    client.force_login(agent)
    html = client.get(
        "/planning/staffing/?demand_percent=10&extra_agents=3&extra_day=0&extra_from=9&extra_to=12"
    ).content.decode()
    assert "With demand up 10%" in html
    assert "3 more on the rota (Monday from 9:00 to 12:00)" in html


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


ROTA = """email,date,start,end,activity
{email},2026-03-02,08:00,16:00,work
{email},2026-03-02,12:00,12:30,break
"""


def test_team_leader_imports_a_rota(client, team_leader, agent):
    client.force_login(team_leader)
    upload = SimpleUploadedFile("rota.csv", ROTA.format(email=agent.email).encode(), content_type="text/csv")
    response = client.post("/planning/rotas/", {"file": upload})
    assert response.status_code == 302
    assert Shift.objects.filter(agent=agent).count() == 2


def test_a_bad_rota_reports_each_row_and_imports_nothing(client, team_leader, agent):
    client.force_login(team_leader)
    text = ROTA.format(email=agent.email) + "nobody@example.org,2026-03-02,9am,08:00,nap\n"
    upload = SimpleUploadedFile("rota.csv", text.encode(), content_type="text/csv")
    response = client.post("/planning/rotas/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Row 4: no member of staff has the email &#x27;nobody@example.org&#x27;" in html
    assert "Row 4: the time &#x27;9am&#x27; is not a time like 08:30" in html
    assert "Row 4: the activity &#x27;nap&#x27; is not one of work, break, training, leave" in html
    assert not Shift.objects.exists()


def test_agent_sets_their_status_from_the_header(client, agent, django_capture_on_commit_callbacks):
    client.force_login(agent)
    page = client.get("/planning/").content.decode()
    assert 'id="header-status"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/planning/status/", {"status": "on_break", "next": "/planning/"})
    assert response.status_code == 302
    assert response["Location"] == "/planning/"
    assert '<option value="on_break" selected>' in client.get("/planning/").content.decode()
    assert StatusChange.objects.get(agent=agent).source == "agent"
