"""Second factors through the pages: the step after signing in, enforced on desk pages and the API
by one session read; setting up an authenticator (staff and portal customers); recovery codes;
remembered browsers; admins' reset, audit and staff list; the single sign-on mapping preview."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.services import token_create
from rapport.domain.identity import Step
from rapport.identity import services
from rapport.identity.middleware import FINISH_SIGNING_IN
from rapport.identity.models import SecurityEvent, SecurityEventKind
from tests.conftest import make_user
from tests.identity.helpers import authenticator, code_at

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def sign_in(client, user):
    return client.post(reverse("login"), {"email": user.email, "password": PASSWORD})


def test_with_an_authenticator_the_desk_waits_for_the_code(client, agent):
    device = authenticator(agent)

    answer = sign_in(client, agent)

    # signed in with the first factor, but every desk page leads to the code
    assert answer.status_code == 302
    assert client.session[services.SESSION_STEP] == Step.VERIFY
    queue = client.get("/")
    assert queue.status_code == 302
    assert queue["Location"].startswith(reverse("identity:verify"))
    # the API, with this half-finished session, answers 401 with the usual error shape
    api = client.get("/api/v1/cases")
    assert api.status_code == 401
    assert api.json() == {"detail": FINISH_SIGNING_IN, "errors": []}

    # when the code is entered
    before = client.session.session_key
    done = client.post(reverse("identity:verify"), {"code": code_at(device), "next": "/"})

    # then the desk opens, on a new session key
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
    assert SecurityEvent.objects.filter(user=agent, kind=SecurityEventKind.FACTOR_USED).count() == 1


def test_a_wrong_code_is_a_form_message_not_a_crash(client, agent):
    device = authenticator(agent)
    sign_in(client, agent)

    wrong = "000000" if code_at(device) != "000000" else "111111"
    answer = client.post(reverse("identity:verify"), {"code": wrong})

    assert answer.status_code == 422
    assert services.WRONG_CODE in answer.content.decode()
    assert client.get("/").status_code == 302
    assert client.post(reverse("identity:verify"), {"code": ""}).status_code == 422
    assert client.post(reverse("identity:verify"), {"code": "\x00" * 30}).status_code == 422


def test_api_tokens_are_not_affected_by_second_factors(client, agent, settings):
    settings.RAPPORT_MFA_REQUIRED_ROLES = ("agent",)
    _, token = token_create(user=agent)

    answer = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert answer.status_code == 200


def test_a_role_that_requires_a_factor_sets_one_up_before_the_desk(client, manager, settings):
    settings.RAPPORT_MFA_REQUIRED_ROLES = ("manager", "admin")
    sign_in(client, manager)
    assert client.session[services.SESSION_STEP] == Step.ENROL
    assert client.get("/").headers["Location"].startswith(reverse("identity:security"))
    page = client.get(reverse("identity:security"))
    assert "Your role needs a second factor" in page.content.decode()

    # the set-up page shows the QR code as inline SVG and the key to type in
    setup = client.get(reverse("identity:totp_add"))
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', setup.content.decode()).group(1)
    device = services.totp_pending(user=manager)
    assert services.totp_provisioning(device).secret == secret

    done = client.post(reverse("identity:totp_add"), {"code": code_at(device)})

    assert done.status_code == 200  # the recovery codes, shown once
    assert len(re.findall(r"<li><code>[a-z2-7]{4}-[a-z2-7]{4}</code></li>", done.content.decode())) == 10
    assert client.session[services.SESSION_STEP] == Step.DONE
    assert client.get("/").status_code == 200


def test_remember_this_browser(client, agent, settings):
    settings.RAPPORT_MFA_REMEMBER_DAYS = 30
    device = authenticator(agent)
    sign_in(client, agent)

    answer = client.post(reverse("identity:verify"), {"code": code_at(device), "remember": "on"})

    cookie = answer.cookies[services.REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert cookie["max-age"] == 30 * 86400
    client.post(reverse("logout"))
    sign_in(client, agent)
    assert client.session[services.SESSION_STEP] == Step.DONE
    assert client.get("/").status_code == 200
    # forgetting them asks again next time
    client.post(reverse("identity:browsers_forget"))
    client.post(reverse("logout"))
    sign_in(client, agent)
    assert client.session[services.SESSION_STEP] == Step.VERIFY


def test_a_customer_turns_on_totp_in_the_portal(client, customer_user, customer):
    sign_in(client, customer_user)
    page = client.get(reverse("identity:security"))
    assert page.status_code == 200
    assert reverse("portal:home") in page.content.decode()  # the portal's layout, not the desk's
    client.get(reverse("identity:totp_add"))
    device = services.totp_pending(user=customer_user)
    client.post(reverse("identity:totp_add"), {"code": code_at(device)})
    client.post(reverse("logout"))

    sign_in(client, customer_user)

    assert client.get(reverse("portal:home")).headers["Location"].startswith(reverse("identity:verify"))
    # the next step's code: the one used to turn it on cannot be used again
    used = device.__class__.objects.get(pk=device.pk)
    client.post(reverse("identity:verify"), {"code": code_at(used, used.t0 + (used.last_t + 1) * used.step)})
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_portal_links_to_turning_on_totp(client, customer_user, customer):
    client.force_login(customer_user)
    assert reverse("identity:security") in client.get(reverse("portal:home")).content.decode()


def test_admins_reset_anothers_factors_from_the_page(client, agent):
    admin = make_user("admin@example.com", "admin")
    authenticator(agent)
    client.force_login(admin)
    page = reverse("identity:person", args=[agent.pk])

    refused = client.post(page, {"reason": ""})
    assert refused.status_code == 422
    assert "Say why you are resetting" in refused.content.decode()
    assert services.has_factor(agent)

    done = client.post(page, {"reason": "Lost phone, identity checked by a call back"})

    assert done.status_code == 302
    assert not services.has_factor(agent)
    assert "Lost phone, identity checked by a call back" in client.get(reverse("identity:events")).content.decode()


@pytest.mark.parametrize("name", ["people", "events", "sso_preview"])
def test_the_admin_pages_are_for_admins_only(client, manager, name):
    client.force_login(manager)
    assert client.get(reverse(f"identity:{name}")).status_code == 404
    assert client.get(reverse("identity:person", args=[manager.pk])).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_staff_list_costs_the_same_queries_whatever_its_size(client, size, django_assert_num_queries):
    admin = make_user("admin@example.com", "admin")
    for n in range(size):
        person = make_user(f"agent{n}@example.com", "agent")
        if n % 2:
            authenticator(person)
    client.force_login(admin)
    client.get(reverse("identity:people"))  # the process's per-view caches filled

    # the session, the user, the count and the page of staff with their factors
    with django_assert_num_queries(4):
        page = client.get(reverse("identity:people"))

    assert page.status_code == 200
    assert page.content.decode().count("Set up</td>") == size // 2


def test_the_audit_page_and_its_csv(client, agent, now):
    admin = make_user("admin@example.com", "admin")
    for _ in range(3):
        services.audit(kind=SecurityEventKind.FACTOR_USED, user=agent, at=now, detail="Authenticator app")
    client.force_login(admin)

    page = client.get(reverse("identity:events"))
    csv = client.get(reverse("identity:events"), {"format": "csv"})

    assert page.content.decode().count("Second factor used") == 3
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().count("Second factor used") == 3


def test_the_mapping_preview_shows_role_and_teams_before_anyone_signs_in(client, settings):
    settings.RAPPORT_OIDC_ROLE_MAP = {"rapport-agents": "agent", "rapport-admins": "admin"}
    settings.RAPPORT_OIDC_TEAM_MAP = {"billing": "Billing"}
    settings.RAPPORT_OIDC_CREATE_USERS = True
    admin = make_user("admin@example.com", "admin")
    client.force_login(admin)
    claims = '{"email": "New.Person@example.org", "email_verified": true, "groups": ["rapport-agents", "billing"]}'

    page = client.post(reverse("identity:sso_preview"), {"claims": claims}).content.decode()

    assert "Signs in</strong> as new.person@example.org" in page
    assert "<dd>agent</dd>" in page
    assert "<dd>Billing</dd>" in page
    bad = client.post(reverse("identity:sso_preview"), {"claims": "{not json"})
    assert bad.status_code == 422
    assert "Paste the claims as a JSON object" in bad.content.decode()


def test_the_queue_costs_no_more_queries_with_second_factors(client, agent, settings):
    """The check is a session read: the queue runs the same queries with the middleware as without."""
    device = authenticator(agent)
    sign_in(client, agent)
    client.post(reverse("identity:verify"), {"code": code_at(device)})
    client.get("/")

    with CaptureQueriesContext(connection) as with_check:
        client.get("/")
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "SecondFactor" not in m]
    with CaptureQueriesContext(connection) as without:
        client.get("/")

    assert len(with_check) == len(without)


def test_the_demo_fills_the_audit_once(agent, manager, now):
    from rapport.identity.demo import seed_identity_demo

    admin = make_user("admin@example.com", "admin")
    seed_identity_demo(now)
    seed_identity_demo(now)

    events = SecurityEvent.objects.all()
    assert events.filter(kind=SecurityEventKind.FACTOR_USED).count() == 3
    reset = events.get(kind=SecurityEventKind.FACTORS_RESET)
    assert reset.actor == admin
    assert "Lost phone" in reset.detail


def test_django_admin_shows_the_audit_read_only_and_no_authenticator_secrets(client, agent, now):
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin_user = make_user("admin@example.com", "admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    services.audit(kind=SecurityEventKind.FACTOR_USED, user=agent, at=now, detail="Authenticator app")
    client.force_login(admin_user)

    listing = client.get(reverse("admin:identity_securityevent_changelist"))

    assert listing.status_code == 200
    assert "agent@example.com" in listing.content.decode()
    assert client.get(reverse("admin:identity_securityevent_add")).status_code == 403
    assert not admin.site.is_registered(TOTPDevice)
