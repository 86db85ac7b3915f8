"""The portal in Welsh in a real browser: a visitor's Welsh browser gets the Welsh sign-in page, a
Welsh-speaking customer's portal opens in Welsh whatever the browser says, the switch on the page
changes language and remembers it, a case raised in Welsh is acknowledged in Welsh, and Welsh's
longer words still reflow at 320 CSS px (WCAG 2.2 SC 1.4.10)."""

from __future__ import annotations

import pytest

from rapport.customers.models import Customer
from tests.browser.conftest import AXE, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def welsh_speaker(customer):
    Customer.objects.filter(pk=customer.pk).update(language="cy", name="Siân Llŷr")
    customer.refresh_from_db()
    return customer


def tab(browser, live_server, *, locale, width=1366, bypass_csp=False):
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        timezone_id="Europe/London",
        viewport={"width": width, "height": 800},
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def sign_in_in_welsh(page, email):
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_label("Cyfrinair").fill("correct horse battery")
    page.get_by_role("button", name="Mewngofnodi").click()


def test_a_visitor_with_a_welsh_browser_signs_in_and_uses_the_portal_in_welsh(browser, live_server, welsh_speaker):
    context, page = tab(browser, live_server, locale="cy-GB")
    try:
        # When a visitor whose browser asks for Welsh opens the portal
        page.goto("/portal/")

        # Then the sign-in page is in Welsh and says so
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.get_by_role("heading", level=1).inner_text() == "Mewngofnodi"

        # And once signed in, their portal is in Welsh
        sign_in_in_welsh(page, welsh_speaker.email)
        assert page.get_by_role("heading", level=1).inner_text() == "Fy achosion"
        assert page.locator("html").get_attribute("lang") == "cy"

        # And raising a case is in Welsh from the form to the acknowledgement
        page.get_by_role("link", name="Agor achos", exact=True).first.click()
        page.get_by_label("Pwnc").fill("Dim dŵr poeth")
        page.get_by_label("Cwyn").check()
        page.get_by_label("Eich neges").fill("Mae'r boeler wedi torri ers dydd Llun.")
        page.get_by_role("button", name="Anfon", exact=True).click()
        assert "Diolch. Mae eich achos wedi dod i law." in page.locator(".flash").inner_text()
        assert page.get_by_role("heading", level=1).inner_text().endswith("Dim dŵr poeth")
    finally:
        context.close()


def test_a_welsh_speakers_portal_opens_in_welsh_and_the_switch_changes_it(browser, live_server, welsh_speaker):
    context, page = tab(browser, live_server, locale="en-GB")
    try:
        # Given an English browser: the sign-in page is in English
        page.goto("/login/")
        page.get_by_label("Email address").fill(welsh_speaker.email)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()

        # Then the customer's saved preference wins
        assert page.get_by_role("heading", level=1).inner_text() == "Fy achosion"

        # When they choose English with the switch
        page.get_by_role("button", name="English").click()

        # Then the same page is in English, and so is the next one, and their record says so
        assert page.get_by_role("heading", level=1).inner_text() == "My cases"
        assert page.locator("html").get_attribute("lang") == "en-gb"
        page.get_by_role("link", name="Raise a case", exact=True).first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Raise a case"
        welsh_speaker.refresh_from_db()
        assert welsh_speaker.language == "en"

        # And back to Welsh from any page
        page.get_by_role("button", name="Cymraeg").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Agor achos"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/portal/", "/portal/cases/new/", "/privacy/request/", "/help/"])
def test_welsh_pages_reflow_at_320_css_px(browser, live_server, welsh_speaker, path):
    context, page = tab(browser, live_server, locale="cy-GB", width=320)
    try:
        page.goto("/login/")
        sign_in_in_welsh(page, welsh_speaker.email)
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.evaluate(NO_SIDEWAYS_SCROLL), path
    finally:
        context.close()


def test_welsh_portal_pages_pass_the_accessibility_checks(browser, live_server, welsh_speaker):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test-browser does)")
    context, page = tab(browser, live_server, locale="cy-GB", bypass_csp=True)
    try:
        page.goto("/login/")
        assert axe_violations(page) == []
        sign_in_in_welsh(page, welsh_speaker.email)
        for path in ("/portal/", "/portal/cases/new/", "/help/"):
            page.goto(path)
            assert axe_violations(page) == [], path
    finally:
        context.close()
