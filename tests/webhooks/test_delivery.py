"""Events out: signed deliveries to a real receiver, retries with back-off on an injected clock,
switching off after failures, redelivery, the access split, restriction of processing, SSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.accounts.models import Role
from rapport.cases.services import message_add
from rapport.platform.errors import FieldError, Refused
from rapport.webhooks import payloads, services, urlguard
from rapport.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db(transaction=False)


def _case(agent, customer, team, now):
    from rapport.cases.services import case_create

    return case_create(
        actor=agent, customer=customer, subject="Broken kettle", body="It stopped heating.", channel="email",
        team=team, now=now,
    )  # fmt: skip


def test_an_event_reaches_the_receiver_signed_and_is_logged(
    subscribe, receiver, agent, customer, team, now, deliver, django_capture_on_commit_callbacks
):
    subscription = subscribe(Role.MANAGER, kinds=["created"])
    with django_capture_on_commit_callbacks(execute=True):
        case = _case(agent, customer, team, now)
        deliver()
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified
    assert got.headers["Rapport-Event"] == "created"
    assert got.data["case"]["reference"] == case.reference
    assert got.data["event"]["kind"] == "created"
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert got.headers["Rapport-Delivery"] == str(delivery.pk)
    attempt = Attempt.objects.get(delivery=delivery)
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")
    assert attempt.response_excerpt == '{"received":true}'


def test_the_journal_delivering_twice_owes_each_event_once(subscribe, agent, customer, team, now):
    subscription = subscribe(Role.MANAGER, kinds=["created"])
    case = _case(agent, customer, team, now)
    from rapport.cases.models import CaseEvent

    events = list(CaseEvent.objects.filter(case=case, kind="created"))
    services.events_received(events, now=now)
    services.events_received(events, now=now)
    assert Delivery.objects.filter(subscription=subscription).count() == 1


def _pending(subscribe, receiver, agent, customer, team, now, answers):
    subscription = subscribe(Role.MANAGER, kinds=["created"])
    receiver.answers = list(answers)
    receiver.clock_now = now  # attempts are stamped with the injected clock
    case = _case(agent, customer, team, now)
    from rapport.cases.models import CaseEvent

    services.events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    return subscription, Delivery.objects.get(subscription=subscription)


def test_a_failure_is_retried_after_its_backoff_on_the_injected_clock(subscribe, receiver, agent, customer, team, now):
    _, delivery = _pending(subscribe, receiver, agent, customer, team, now, [500, 503])
    first = services.attempt(delivery.pk, now=now)
    assert first is not None
    assert (first.status_code, first.error) == (500, "HTTP 500")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert services.flush(now=now + timedelta(seconds=29)) == 0  # not due yet
    assert services.flush(now=now + timedelta(seconds=30)) == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=30 + 60)  # doubled
    assert services.flush(now=now + timedelta(seconds=90)) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert list(delivery.attempt_rows.values_list("number", "status_code")) == [(1, 500), (2, 503), (3, 200)]
    assert all(r.verified for r in receiver.received)


def test_durations_come_from_the_injected_timer(subscribe, receiver, agent, customer, team, now):
    _, delivery = _pending(subscribe, receiver, agent, customer, team, now, [])
    ticks = iter([10.0, 10.25])
    done = services.attempt(delivery.pk, now=now, clock=lambda: next(ticks))
    assert done is not None
    assert done.duration_ms == 250


def test_a_delivery_gives_up_after_the_last_attempt(subscribe, receiver, agent, customer, team, now, settings):
    settings.WEBHOOKS_DISABLE_AFTER = 100
    _, delivery = _pending(subscribe, receiver, agent, customer, team, now, [500] * 8)
    at = now
    for number in range(1, 9):
        services.attempt(delivery.pk, now=at)
        delivery.refresh_from_db()
        if number < 8:
            at = delivery.next_attempt_at
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None
    assert services.flush(now=at + timedelta(days=1)) == 0


def test_repeated_failures_switch_the_subscription_off_and_warn_admins(
    subscribe, receiver, agent, customer, team, now, settings, admin, monkeypatch, django_capture_on_commit_callbacks
):
    from rapport.platform import notify

    emails: list[dict] = []
    monkeypatch.setattr(notify, "email_send", lambda **kwargs: emails.append(kwargs))
    settings.WEBHOOKS_DISABLE_AFTER = 3
    subscription, delivery = _pending(subscribe, receiver, agent, customer, team, now, [500] * 3)
    assert extensions.header_alerts_for(admin) == []
    at = now
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.attempt(delivery.pk, now=at)
            delivery.refresh_from_db()
            at = delivery.next_attempt_at or at
    assert len(emails) == 1
    assert emails[0]["to"] == ["admin@example.com"]
    assert "switched off" in emails[0]["subject"]
    subscription.refresh_from_db()
    assert not subscription.active
    assert "3 failed attempts in a row" in subscription.disabled_reason
    alerts = [a.text for a in extensions.header_alerts_for(admin)]
    assert "A webhook was switched off after repeated failures." in alerts
    assert [a for a in extensions.header_alerts_for(agent) if "webhook" in a.text] == []
    assert services.flush(now=at + timedelta(hours=3)) == 0  # its deliveries wait
    services.subscription_update(actor=admin, subscription_id=subscription.pk, changes={"active": True}, now=at)
    subscription.refresh_from_db()
    assert subscription.active
    assert subscription.consecutive_failures == 0
    assert services.flush(now=at + timedelta(hours=3)) == 1


def test_a_success_resets_the_failure_count(subscribe, receiver, agent, customer, team, now):
    subscription, delivery = _pending(subscribe, receiver, agent, customer, team, now, [500])
    services.attempt(delivery.pk, now=now)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1
    services.attempt(delivery.pk, now=now + timedelta(seconds=30))
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_manual_redelivery_sends_a_delivered_event_again(subscribe, receiver, agent, customer, team, now, admin):
    subscription, delivery = _pending(subscribe, receiver, agent, customer, team, now, [])
    services.attempt(delivery.pk, now=now)
    again = services.redeliver(actor=admin, subscription_id=subscription.pk, delivery_id=delivery.pk, now=now)
    assert again.manual
    assert again.number == 2
    assert again.actor == admin
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body


def test_a_rotated_secret_signs_from_then_on(subscribe, receiver, agent, customer, team, now, admin):
    subscription, delivery = _pending(subscribe, receiver, agent, customer, team, now, [])
    old = receiver.secret
    new = services.secret_rotate(actor=admin, subscription_id=subscription.pk, now=now)
    assert new != old
    services.attempt(delivery.pk, now=now)
    assert not receiver.received[-1].verified  # the receiver still holds the old one
    receiver.secret = new
    services.redeliver(actor=admin, subscription_id=subscription.pk, delivery_id=delivery.pk, now=now)
    assert receiver.received[-1].verified


# --- what payloads carry ------------------------------------------------------------------------


def _note(agent, case, now):
    message_add(actor=agent, reference=case.reference, kind="note", body="Customer sounded upset; call back", now=now)


def test_an_agent_role_never_sends_internal_notes_or_the_customers_details(
    subscribe, receiver, agent, customer, team, now, deliver, django_capture_on_commit_callbacks
):
    subscription = subscribe(Role.AGENT, teams=[team.pk])
    with django_capture_on_commit_callbacks(execute=True):
        case = _case(agent, customer, team, now)
        _note(agent, case, now + timedelta(minutes=1))
        deliver()
    skipped = Delivery.objects.get(subscription=subscription, kind="note")
    assert skipped.status == DeliveryStatus.SKIPPED
    assert skipped.reason == payloads.INTERNAL_NOTE
    assert not skipped.attempt_rows.exists()
    bodies = b"".join(r.body for r in receiver.received)
    assert b"call back" not in bodies
    assert b"Alice" not in bodies
    assert b"alice@example.com" not in bodies
    created = next(r.data for r in receiver.received if r.data["event"]["kind"] == "created")
    assert created["customer"] == {"id": customer.pk}


def test_a_team_leader_role_sends_notes_and_a_manager_role_the_customers_details(
    subscribe, receiver, agent, customer, team, now, deliver, django_capture_on_commit_callbacks
):
    subscribe(Role.TEAM_LEADER, kinds=["note"], teams=[team.pk])
    with django_capture_on_commit_callbacks(execute=True):
        case = _case(agent, customer, team, now)
        _note(agent, case, now + timedelta(minutes=1))
        deliver()
    note = receiver.received[-1].data
    assert note["message"]["body"] == "Customer sounded upset; call back"
    assert note["customer"] == {"id": customer.pk}
    manager_view = subscribe(Role.MANAGER, kinds=["changed"])
    from rapport.cases.models import CaseEvent

    event = CaseEvent.objects.filter(case=case).first()
    built = payloads.build(manager_view.account, manager_view.pk, [event])
    assert '"name":"Alice Jones"' in built[0].body
    assert '"email":"alice@example.com"' in built[0].body


def test_cases_outside_the_service_accounts_scope_are_skipped(
    subscribe, other_team, agent, customer, team, now, deliver
):
    subscription = subscribe(Role.AGENT, kinds=["created"], teams=[other_team.pk])
    _case(agent, customer, team, now)
    deliver()
    skipped = Delivery.objects.get(subscription=subscription)
    assert skipped.status == DeliveryStatus.SKIPPED
    assert skipped.reason == payloads.OUTSIDE_SCOPE


def test_events_of_a_customer_whose_processing_is_restricted_are_skipped_with_the_reason(
    subscribe, receiver, agent, customer, customer_user, team, now, deliver, django_capture_on_commit_callbacks, admin
):
    from rapport.privacy import rights
    from rapport.privacy.services import data_request_create

    request = data_request_create(actor=customer_user, customer=customer, kind="restriction", now=now)
    rights.restriction_grant(
        actor=agent, reference=request.case.reference, ground="claims", reason="Needed for her claim", now=now
    )
    subscription = subscribe(Role.MANAGER, kinds=["created"])
    with django_capture_on_commit_callbacks(execute=True):
        case = _case(agent, customer, team, now + timedelta(minutes=5))
        deliver()
    skipped = Delivery.objects.get(subscription=subscription, case_reference=case.reference)
    assert skipped.status == DeliveryStatus.SKIPPED
    assert skipped.reason.startswith("Processing of the customer's data is restricted (UK GDPR Art 18)")
    assert receiver.received == []
    with pytest.raises(Refused):
        services.redeliver(actor=admin, subscription_id=subscription.pk, delivery_id=skipped.pk, now=now)


# --- where webhooks may point -------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5", "192.168.1.20", "172.16.0.1", "169.254.169.254", "100.64.0.1", "::1", "fd00::1", "0.0.0.0"],  # noqa: S104 - refused, not bound,
)
def test_private_and_internal_addresses_are_refused(address, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(FieldError) as refused:
        urlguard.check("https://hooks.example.co.uk/in", resolver=lambda host, port: [address])
    assert "private or internal" in refused.value.errors["url"][0]


def test_a_name_with_one_internal_address_among_public_ones_is_refused():
    with pytest.raises(FieldError):
        urlguard.check("https://hooks.example.co.uk/in", resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"])


def test_loopback_only_when_the_setting_allows_it(settings):
    urlguard.check("http://127.0.0.1:8000/in", resolver=lambda host, port: ["127.0.0.1"])
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(FieldError):
        urlguard.check("http://127.0.0.1:8000/in", resolver=lambda host, port: ["127.0.0.1"])


def test_https_only_unless_the_setting_allows_http(settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(FieldError) as refused:
        urlguard.check("http://hooks.example.co.uk/in", resolver=lambda host, port: ["93.184.216.34"])
    assert refused.value.errors["url"] == [urlguard.NOT_HTTPS]
    urlguard.check("https://hooks.example.co.uk/in", resolver=lambda host, port: ["93.184.216.34"])


@pytest.mark.parametrize(
    "url",
    [
        "https://[",
        "https://",
        "ftp://example.com/",
        "https://user:pw@example.com/",
        "https://example.com:99999/",
        "not a url",
    ],
)
def test_malformed_addresses_are_refused_with_a_message(url):
    with pytest.raises(FieldError) as refused:
        urlguard.check(url, resolver=lambda host, port: ["93.184.216.34"])
    assert refused.value.errors["url"]


def test_an_unresolvable_host_is_refused():
    def fail(host, port):
        raise OSError("no such host")

    with pytest.raises(FieldError) as refused:
        urlguard.check("https://nowhere.invalid/", resolver=fail)
    assert refused.value.errors["url"] == [urlguard.UNRESOLVED]


def test_an_address_repointed_inside_after_saving_is_refused_at_send_time(
    subscribe, receiver, agent, customer, team, now, settings
):
    _, delivery = _pending(subscribe, receiver, agent, customer, team, now, [])
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    done = services.attempt(delivery.pk, now=now)
    assert done is not None
    assert done.status_code is None
    assert done.error.startswith("Refused:")
    assert receiver.received == []


def test_a_receiver_that_does_not_answer_is_a_failure_with_the_error(subscribe, agent, customer, team, now, admin):
    made = services.subscription_create(
        actor=admin, name="Gone", url="http://127.0.0.1:9/hooks", kinds=["created"], role=Role.MANAGER, now=now
    )
    case = _case(agent, customer, team, now)
    from rapport.cases.models import CaseEvent

    services.events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    delivery = Delivery.objects.get(subscription=made.subscription)
    done = services.attempt(delivery.pk, now=now)
    assert done is not None
    assert done.status_code is None
    assert done.error.startswith("Could not connect")
    assert Subscription.objects.get(pk=made.subscription.pk).consecutive_failures == 1


def test_with_no_webhook_listening_a_write_owes_the_webhooks_nothing(
    subscribe, admin, agent, customer, team, now, django_capture_on_commit_callbacks, monkeypatch
):
    """The journal asks the webhooks whether any active one listens for a kind before it writes a
    delivery row or queues a job: a desk without webhooks pays nothing for them."""
    from rapport.cases import journal
    from rapport.cases.models import JournalDelivery
    from rapport.webhooks.services import subscription_update

    monkeypatch.setattr(journal.jobs, "enqueue_coalesced", lambda *args: None)  # owed rows stay to be seen

    def owed() -> set[str]:
        rows = JournalDelivery.objects.filter(subscriber__startswith="webhooks.")
        return set(rows.values_list("subscriber", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        _case(agent, customer, team, now)
    assert owed() == set()
    with django_capture_on_commit_callbacks(execute=True):
        subscription = subscribe(kinds=("created",))
    with django_capture_on_commit_callbacks(execute=True):
        _case(agent, customer, team, now)
    assert owed() == {"webhooks.created"}  # the new webhook is heard at once, and only for its kind
    JournalDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        subscription_update(actor=admin, subscription_id=subscription.pk, changes={"active": False}, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        _case(agent, customer, team, now)
    assert owed() == set()
