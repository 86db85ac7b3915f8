"""Accessibility basics on every desk page, in normal and error states (WCAG 2.2 AA: labels,
names, headings, tables, error messages tied to their fields)."""

from __future__ import annotations

import pytest

from rapport.cases.services import Upload, case_update, message_add
from tests.web.html_checks import page_problems, unlabelled_controls

PAGES = [
    "/",
    "/?queue=mine&status=any&sort=priority",
    "/?status=lost",
    "/cases/{case}/",
    "/customers/",
    "/customers/?q=zzz",
    "/customers/new/",
    "/customers/{customer}/",
    "/customers/{customer}/edit/",
    "/customers/{customer}/cases/new/",
    "/search/",
    "/search/?q=kettle",
    "/cases/C-999999/",
]


@pytest.fixture
def busy_case(case, agent, now):
    message_add(
        actor=agent, reference=case.reference, kind="note", body="A note", attachments=[Upload("a.txt", b"x")], now=now
    )
    message_add(actor=agent, reference=case.reference, kind="outbound", body="A reply", now=now)
    case_update(actor=agent, reference=case.reference, expected_version=2, changes={"tags": ["one"]}, now=now)
    return case


@pytest.mark.parametrize("path", PAGES)
def test_desk_pages_pass_the_basic_checks(agent_client, busy_case, customer, path):
    response = agent_client.get(path.format(case=busy_case.reference, customer=customer.pk))

    assert response.status_code in {200, 400, 404}
    assert page_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cases/{case}/reply/", {"reply-body": ""}),
        ("/cases/{case}/note/", {"note-body": ""}),
        ("/cases/{case}/edit/", {"edit-version": "1", "edit-status": "lost", "edit-priority": "9", "edit-type": "x"}),
        ("/customers/new/", {"name": "", "email": "nope"}),
        ("/customers/{customer}/contacts/", {}),
        ("/customers/{customer}/cases/new/", {}),
    ],
)
def test_errors_are_summarised_and_tied_to_their_fields(agent_client, case, customer, path, data):
    response = agent_client.post(path.format(case=case.reference, customer=customer.pk), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert '<div class="error-summary" tabindex="-1"' in html
    assert 'aria-invalid="true"' in html
    assert "-error" in html  # each message has an id that its field's aria-describedby names
    assert page_problems(html) == []


def test_the_checker_finds_unlabelled_controls():
    html = """
        <label for="a">A</label><input id="a">
        <input id="b">
        <input aria-label="Search">
        <input type="hidden" name="h"><input type="submit">
        <select name="s"></select>
        <label>Wrapped <textarea name="t"></textarea></label>
    """
    assert unlabelled_controls(html) == [
        "<input name=None id='b'>",
        "<select name='s' id=None>",
        "<textarea name='t' id=None>",
    ]


def test_the_checker_finds_structural_problems():
    html = (
        '<title>x</title><h1>a</h1><h1>b</h1><p id="d"></p><p id="d"></p>'
        '<table><th>x</th></table><i aria-describedby="gone"></i>'
    )
    assert page_problems(html) == [
        "duplicate id: d",
        "aria-describedby points at a missing id: gone",
        "1 tables but 0 captions",
        "1 <th> without scope",
        "2 <h1> elements (want one)",
    ]
