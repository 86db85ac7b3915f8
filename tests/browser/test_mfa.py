"""Second factors in a real browser: an authenticator-app code after the password, and a passkey
made and used through Chromium's virtual authenticator (CDP). WebAuthn needs a secure origin, so
the live server is reached at http://localhost, never an IP address."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django_otp_webauthn.models import WebAuthnCredential

from rapport.identity.models import SecurityEvent, SecurityEventKind
from tests.browser.conftest import sign_in
from tests.conftest import make_user
from tests.identity.helpers import authenticator, code_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def webauthn_here(settings, live_server):
    assert live_server.url.startswith("http://localhost:"), "WebAuthn needs localhost, not an IP"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    return cdp, cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def wait_for(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_code_from_the_authenticator_app_after_the_password(page, live_server):
    # given an agent with an authenticator app, whose codes the test makes on its own clock
    agent = make_user("totp.agent@example.com", "agent")
    device = authenticator(agent)

    sign_in(page, agent.email)

    # then the code is asked for before the desk
    page.wait_for_url("**/identity/verify/**")
    page.get_by_label("Code").fill(code_at(device, time.time()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert SecurityEvent.objects.filter(user=agent, kind=SecurityEventKind.FACTOR_USED).exists()


def test_a_passkey_made_and_used_with_the_virtual_authenticator(page, live_server, webauthn_here):
    agent = make_user("passkey.agent@example.com", "agent")
    cdp, authenticator_id = virtual_authenticator(page)

    # when the agent adds a passkey on their sign-in security page
    sign_in(page, agent.email)
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/identity/")
    page.get_by_role("button", name="Add a passkey").click()
    credential = wait_for(lambda: WebAuthnCredential.objects.filter(user=agent, confirmed=True).first())
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1

    # then the next sign-in asks for it, and the passkey lets them in
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, agent.email)
    page.wait_for_url("**/identity/verify/**")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/")
    kinds = set(SecurityEvent.objects.filter(user=agent).values_list("kind", flat=True))
    assert {SecurityEventKind.FACTOR_ADDED, SecurityEventKind.FACTOR_USED} <= kinds
    credential.refresh_from_db()
    assert get_user_model().objects.get(pk=agent.pk).is_active


@pytest.mark.parametrize("width", [320, 1366])
def test_the_sign_in_security_pages_reflow_and_pass_axe(axe_page, live_server, width):
    """WCAG 2.2 AA: axe-core finds nothing, and nothing scrolls sideways at 320 CSS px (SC 1.4.10)."""
    from tests.browser.conftest import axe_violations
    from tests.browser.test_reflow import MEASURE

    admin = make_user("security.admin@example.com", "admin")
    device = authenticator(admin)
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, admin.email)
    page.wait_for_url("**/identity/verify/**")
    checked = {"the code page": (axe_violations(page), page.evaluate(MEASURE))}
    page.get_by_label("Code").fill(code_at(device, time.time()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    for name, path in [
        ("own security", "/identity/"),
        ("authenticator set-up", "/identity/authenticator/"),
        ("staff list", "/identity/people/"),
        ("person", f"/identity/people/{admin.pk}/"),
        ("audit", "/identity/audit/"),
        ("mapping preview", "/identity/sso/preview/"),
    ]:
        page.goto(path)
        checked[name] = (axe_violations(page), page.evaluate(MEASURE))

    problems = {name: found[0] for name, found in checked.items() if found[0]}
    too_wide = {name: found[1]["wide"] for name, found in checked.items() if found[1]["scrollWidth"] > width + 1}
    assert problems == {}
    assert too_wide == {}
