"""Accessibility basics on every portal page: labels, one <h1>, a <title>, landmarks, linked errors."""

from __future__ import annotations

import pytest

from tests.portal.page import Page


@pytest.fixture
def pages(portal, case):
    return {
        "my cases": lambda: portal.get("/portal/"),
        "raise a case": lambda: portal.get("/portal/cases/new/"),
        "raise a case, with mistakes": lambda: portal.post("/portal/cases/new/", {"subject": "", "body": ""}),
        "case": lambda: portal.get(f"/portal/cases/{case.reference}/"),
        "case, with an empty reply": lambda: portal.post(f"/portal/cases/{case.reference}/", {"body": ""}),
        "case not found": lambda: portal.get("/portal/cases/C-999999/"),
    }


@pytest.mark.parametrize(
    "name",
    ["my cases", "raise a case", "raise a case, with mistakes", "case", "case, with an empty reply", "case not found"],
)
def test_page_basics(pages, name):
    page = Page.of(pages[name]())

    assert page.title.strip()
    assert "Rapport" in page.title
    assert page.tags.get("main") == 1
    assert len(page.h1) == 1
    assert page.h1[0].strip()
    assert page.unlabelled_controls() == []
    assert page.dangling_describedby() == []
    assert page.duplicate_ids() == []
    assert page.tables_without_caption == 0
    assert page.th_without_scope == 0


def test_fields_with_mistakes_are_marked_and_described(pages):
    page = Page.of(pages["raise a case, with mistakes"]())

    invalid = {c.attrs.get("name") for c in page.controls if c.attrs.get("aria-invalid") == "true"}
    assert invalid == {"subject", "body"}
    assert all("-error" in c.attrs["aria-describedby"] for c in page.controls if c.attrs.get("aria-invalid"))
    for anchor in ("id_subject", "id_type_0", "id_body"):
        assert f"#{anchor}" in page.links
        assert anchor in page.ids


def test_the_navigation_marks_the_current_page(portal, customer):
    html = portal.get("/portal/cases/new/").content.decode()

    assert '<a href="/portal/cases/new/" aria-current="page">Raise a case</a>' in html
    assert '<a href="/portal/">My cases</a>' in html
