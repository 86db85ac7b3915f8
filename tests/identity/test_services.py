"""Second factors as services, with the clock given: set up, use, replay, throttle, recovery
codes, remembered browsers and their limit, an admin's reset, password sign-in for staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate

from rapport.domain.identity import Step
from rapport.identity import services
from rapport.identity.models import RecoveryCode, RememberedBrowser, SecurityEvent, SecurityEventKind
from rapport.platform.errors import FieldError, NotFound
from tests.conftest import make_user
from tests.identity.helpers import authenticator, code_at

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_setting_up_an_authenticator_confirms_it_and_gives_recovery_codes_once(agent, now):
    # given an authenticator being set up
    device = services.totp_pending(user=agent)
    assert services.totp_pending(user=agent) == device  # the same one until confirmed

    # when the code it shows now is entered
    codes = services.totp_confirm(user=agent, code=code_at(device, now), now=now, ip="192.0.2.1")

    # then it is on, ten recovery codes are shown once and kept as digests only
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=agent).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()
    assert kinds(agent) == [SecurityEventKind.FACTOR_ADDED, SecurityEventKind.RECOVERY_CODES_MADE]
    # a second authenticator keeps the codes the person already has
    other = services.totp_pending(user=agent)
    assert services.totp_confirm(user=agent, code=code_at(other, now), now=now) == []


def test_a_wrong_code_does_not_turn_it_on(agent, now):
    device = services.totp_pending(user=agent)
    with pytest.raises(FieldError) as refused:
        services.totp_confirm(user=agent, code=code_at(device, now - timedelta(minutes=5)), now=now)
    assert refused.value.errors == {"code": [services.WRONG_CODE]}
    device.refresh_from_db()
    assert not device.confirmed
    assert kinds(agent) == []


def test_a_code_works_once_within_its_window(agent, now):
    device = authenticator(agent)
    code = code_at(device, now)

    assert services.second_factor_verify(user=agent, code=code, now=now) == "totp"
    # the same code again (a replay) is refused, even a second later
    with pytest.raises(FieldError):
        services.second_factor_verify(user=agent, code=code, now=now + timedelta(seconds=1))
    # the next step's code works
    later = now + timedelta(seconds=30)
    assert services.second_factor_verify(user=agent, code=code_at(device, later), now=later) == "totp"
    assert kinds(agent) == [
        SecurityEventKind.FACTOR_USED,
        SecurityEventKind.FACTOR_FAILED,
        SecurityEventKind.FACTOR_USED,
    ]


def test_wrong_codes_are_throttled_and_each_is_audited(agent, now):
    device = authenticator(agent)
    with pytest.raises(FieldError):
        services.second_factor_verify(
            user=agent, code="000000" if code_at(device, now) != "000000" else "111111", now=now
        )

    # straight after a failure even the right code waits (django-otp's back-off)
    with pytest.raises(FieldError) as refused:
        services.second_factor_verify(user=agent, code=code_at(device, now), now=now)

    assert "Too many wrong codes" in refused.value.errors["code"][0]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert kinds(agent) == [SecurityEventKind.FACTOR_FAILED]


def test_a_recovery_code_works_once(agent, now):
    device = authenticator(agent)
    codes = services.recovery_codes_make(user=agent, now=now)

    assert services.second_factor_verify(user=agent, code=codes[3].upper(), now=now) == "recovery"
    with pytest.raises(FieldError):
        services.second_factor_verify(user=agent, code=codes[3], now=now + timedelta(minutes=5))

    assert services.recovery_codes_left(agent) == 9
    used = SecurityEvent.objects.get(user=agent, kind=SecurityEventKind.RECOVERY_CODE_USED)
    assert used.detail == "9 left"
    assert device.pk  # the authenticator is kept


@pytest.mark.parametrize(
    ("role", "required", "factor", "expected"),
    [
        ("agent", (), False, Step.DONE),
        ("agent", (), True, Step.VERIFY),
        ("manager", ("manager", "admin"), False, Step.ENROL),
        ("manager", ("manager", "admin"), True, Step.VERIFY),
        ("agent", ("manager", "admin"), False, Step.DONE),
        ("customer", ("manager", "admin"), True, Step.VERIFY),
    ],
)
def test_the_step_after_signing_in(settings, now, role, required, factor, expected):
    settings.RAPPORT_MFA_REQUIRED_ROLES = required
    person = make_user(f"{role}@example.com", role)
    if factor:
        authenticator(person)
    assert services.sign_in_step(user=person, remembered_cookie="", amr=(), now=now) == expected


def test_a_remembered_browser_skips_the_code_until_it_expires(agent, settings, now):
    settings.RAPPORT_MFA_REMEMBER_DAYS = 30
    authenticator(agent)
    cookie = services.browser_remember(user=agent, label="Firefox on Linux", now=now)

    assert (
        services.sign_in_step(user=agent, remembered_cookie=cookie, amr=(), now=now + timedelta(days=29)) == Step.DONE
    )
    assert (
        services.sign_in_step(user=agent, remembered_cookie=cookie, amr=(), now=now + timedelta(days=31)) == Step.VERIFY
    )
    forged = cookie.split(".")[0] + ".not-the-secret"
    assert services.sign_in_step(user=agent, remembered_cookie=forged, amr=(), now=now) == Step.VERIFY


def test_a_person_keeps_at_most_the_limit_of_remembered_browsers(agent, settings, now):
    settings.RAPPORT_MFA_REMEMBER_LIMIT = 2
    authenticator(agent)
    first = services.browser_remember(user=agent, label="one", now=now)
    services.browser_remember(user=agent, label="two", now=now + timedelta(minutes=1))
    services.browser_remember(user=agent, label="three", now=now + timedelta(minutes=2))

    assert list(RememberedBrowser.objects.filter(user=agent).values_list("label", flat=True)) == ["three", "two"]
    assert not services.browser_recognised(user=agent, cookie=first, now=now)


def test_an_admin_resets_anothers_factors_with_a_reason(agent, now):
    admin = make_user("admin@example.com", "admin")
    authenticator(agent)
    services.recovery_codes_make(user=agent, now=now)
    services.browser_remember(user=agent, label="Edge", now=now)

    services.factors_reset(actor=admin, person=agent, reason="  Lost phone;  checked by a call back ", now=now)

    assert not services.has_factor(agent)
    assert services.recovery_codes_left(agent) == 0
    assert not RememberedBrowser.objects.filter(user=agent).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.FACTORS_RESET)
    assert (event.user, event.actor, event.detail) == (agent, admin, "Lost phone; checked by a call back")


def test_a_reset_needs_a_reason_and_an_admin(agent, manager, now):
    admin = make_user("admin@example.com", "admin")
    authenticator(agent)

    with pytest.raises(FieldError) as refused:
        services.factors_reset(actor=admin, person=agent, reason="   ", now=now)
    assert refused.value.errors == {"reason": [services.REASON_REQUIRED]}
    with pytest.raises(NotFound):
        services.factors_reset(actor=manager, person=agent, reason="asked", now=now)
    with pytest.raises(NotFound):
        services.factors_reset(actor=admin, person=admin, reason="my own", now=now)

    assert services.has_factor(agent)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.FACTORS_RESET).exists()


def test_the_last_factor_of_a_role_that_requires_one_stays(manager, settings, now):
    settings.RAPPORT_MFA_REQUIRED_ROLES = ("manager",)
    device = authenticator(manager)

    with pytest.raises(FieldError):
        services.factor_remove(user=manager, kind="totp", device_id=device.pk, now=now)

    second = authenticator(manager)
    services.factor_remove(user=manager, kind="totp", device_id=second.pk, now=now)
    assert services.has_factor(manager)


def test_staff_passwords_can_be_switched_off_keeping_break_glass_admins_and_customers(settings, agent, rf):
    admin = make_user("breakglass@example.com", "admin")
    customer = make_user("alice@example.com", "customer")
    settings.RAPPORT_STAFF_PASSWORDS = False
    settings.RAPPORT_BREAK_GLASS = frozenset({"breakglass@example.com"})
    request = rf.post("/login/")

    assert authenticate(request, email=agent.email, password="correct horse battery") is None
    assert authenticate(request, email=admin.email, password="correct horse battery") == admin
    assert authenticate(request, email=customer.email, password="correct horse battery") == customer

    settings.RAPPORT_STAFF_PASSWORDS = True
    assert authenticate(request, email=agent.email, password="correct horse battery") == agent
