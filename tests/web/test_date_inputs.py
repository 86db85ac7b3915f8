"""Date inputs carry ISO values, the only ones a browser's date picker accepts (else it shows empty)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

import rapport
from tests.web.forms_walk import product_forms

DAY = date(2026, 12, 4)
MOMENT = datetime(2026, 12, 4, 9, 30)  # a local wall time, as a datetime-local input holds
ISO = {"date": "2026-12-04", "datetime-local": "2026-12-04T09:30"}


def _date_fields():
    for form in product_forms():
        for name, field in form.base_fields.items():
            if getattr(field.widget, "input_type", None) in ISO:
                yield f"{form.__module__}.{form.__qualname__}.{name}", field.widget


DATE_FIELDS = dict(_date_fields())


def test_the_product_has_date_inputs_to_check():
    assert len(DATE_FIELDS) >= 10


@pytest.mark.parametrize("where", sorted(DATE_FIELDS))
def test_every_date_input_renders_an_iso_value(where):
    widget = DATE_FIELDS[where]
    value = DAY if widget.input_type == "date" else MOMENT

    html = widget.render("when", value)

    assert f'value="{ISO[widget.input_type]}"' in html


def test_date_inputs_written_in_templates_render_iso_values():
    templates = Path(rapport.__file__).parent.glob("*/templates/**/*.html")
    loose = [
        f"{path.name}: {tag}"
        for path in templates
        for tag in re.findall(r'<input[^>]*type="(?:date|datetime-local)"[^>]*>', path.read_text())
        if "value=" in tag and "|date:'Y-m-d'" not in tag and "|date:'Y-m-d\\TH:i'" not in tag
    ]
    assert loose == []


def test_the_complaint_panel_prefills_problem_reported_with_an_iso_date(agent_client, agent, customer, team, now):
    # given a complaint with no purchase facts yet, in a locale that writes dates as 04/12/2026
    from django.utils import timezone

    from rapport.cases.services import case_create

    complaint = case_create(
        actor=agent, customer=customer, subject="Kettle", body="Broken", type="complaint", channel="email", team=team
    )

    # when the case page is shown
    page = agent_client.get(f"/cases/{complaint.reference}/").content.decode()

    # then "Problem reported" holds today's date as the date picker needs it
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="facts-reported" value="{today}"', page), "not an ISO value"
