"""Subscribing, delivering events to subscribers, retrying, redelivering and switching off.

Events reach ``events_received`` from the journal as a job (at least once: the unique delivery row
per event makes a second call harmless). Each delivery is then sent by its own job; a failed one
waits its back-off (``domain.webhooks.backoff``) and the periodic ``webhooks_flush`` sends what is
due, so retries survive a worker restart."""

from __future__ import annotations

import http.client
import secrets as random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.domain import webhooks as rules
from rapport.platform import jobs, notify, settings_history
from rapport.platform.errors import FieldError, NotFound, Refused
from rapport.platform.models import Via
from rapport.platform.textinput import text_problem
from rapport.webhooks import access as policy
from rapport.webhooks import payloads, secrets, urlguard
from rapport.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription

SEND_JOB = "webhooks.send"
KINDS = (
    "created", "message", "note", "changed", "first_response", "merged", "sla_warning", "sla_breached",
    "survey_answered", "final_response_sent",
)  # fmt: skip
"""The event kinds a webhook may subscribe to (those installed apps register)."""
ALERT_CACHE = "webhooks:disabled"
KINDS_CACHE = "webhooks:kinds"
NO_WEBHOOK = "No webhook with that id."
NO_DELIVERY = "No delivery with that id on this webhook."
SKIPPED_NOT_SENT = "A skipped delivery is not sent: {reason}"
EXCERPT = 500
USER_AGENT = "Rapport-Webhooks/1"


def subscribable() -> list[str]:
    known = journal.kinds()
    return [k for k in KINDS if k in known]


def kind_wanted(kind: str) -> bool:
    """Whether an active webhook listens for ``kind`` (the journal asks at each write, so that a
    desk with no webhook writes no delivery rows): a shared-cache copy, rebuilt by one query."""
    found = cache.get(KINDS_CACHE)
    if found is None:
        found = sorted(
            {k for kinds in Subscription.objects.filter(active=True).values_list("kinds", flat=True) for k in kinds}
        )
        cache.set(KINDS_CACHE, found, 300)
    return kind in found


def _kinds_changed() -> None:
    """Forget the copy now and again once the change commits (a reader in between rebuilt it)."""
    cache.delete(KINDS_CACHE)
    transaction.on_commit(lambda: cache.delete(KINDS_CACHE))


@dataclass(frozen=True)
class Created:
    subscription: Subscription
    secret: str


def _clean(name: Any, url: Any, kinds: Any, role: Any, resolver: urlguard.Resolver | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(name or "").strip()
    if not name or len(name) > 100:
        errors.setdefault("name", []).append("Enter a name of up to 100 characters.")
    elif problem := text_problem(name):
        errors.setdefault("name", []).append(problem)
    url = str(url or "").strip()
    if len(url) > 500:
        errors.setdefault("url", []).append("Use an address of up to 500 characters.")
    else:
        try:
            urlguard.check(url, resolver=resolver)
        except FieldError as error:
            errors.setdefault("url", []).extend(error.errors["url"])
    allowed = subscribable()
    if not isinstance(kinds, list | tuple) or not kinds or any(k not in allowed for k in kinds):
        errors.setdefault("kinds", []).append(f"Choose one or more of: {', '.join(allowed)}.")
    if role not in {r for r, _ in policy.ROLES}:
        errors.setdefault("role", []).append("Choose agent, team_leader, manager or admin.")
    if errors:
        raise FieldError(errors)
    return {"name": name, "url": url, "kinds": sorted(set(kinds)), "role": role}


def _require(actor: User) -> None:
    if not policy.can_manage_webhooks(actor):
        raise NotFound(NO_WEBHOOK)


def subscription_create(
    *,
    actor: User,
    name: str,
    url: str,
    kinds: Sequence[str],
    role: str,
    team_ids: Sequence[int] = (),
    now: datetime,
    resolver: urlguard.Resolver | None = None,
) -> Created:
    """A subscription with its own service account and a new secret (returned once)."""
    _require(actor)
    clean = _clean(name, url, list(kinds), role, resolver)
    secret = secrets.generate()
    with transaction.atomic():
        account = User.objects.create_user(
            f"webhook-{random.token_hex(8)}@service.invalid", None, name=f"Webhook: {clean['name']}"[:150], role=role
        )
        if team_ids:
            account.teams.set(team_ids)
        subscription = Subscription(
            name=clean["name"],
            url=clean["url"],
            kinds=clean["kinds"],
            account=account,
            secret_encrypted=secrets.encrypt(secret),
            created_at=now,
            updated_at=now,
        )
        settings_history.setting_save(actor=actor, instance=subscription, now=now)
        _kinds_changed()
    return Created(subscription, secret)


def subscription_get(*, actor: User, subscription_id: int) -> Subscription:
    _require(actor)
    found = Subscription.objects.select_related("account").filter(pk=subscription_id).first()
    if found is None:
        raise NotFound(NO_WEBHOOK)
    return found


def subscription_update(
    *,
    actor: User,
    subscription_id: int,
    changes: dict[str, Any],
    now: datetime,
    resolver: urlguard.Resolver | None = None,
) -> Subscription:
    """Change name, url, kinds, role or active; switching one back on clears its failure count."""
    subscription = subscription_get(actor=actor, subscription_id=subscription_id)
    merged = {
        "name": changes.get("name", subscription.name),
        "url": changes.get("url", subscription.url),
        "kinds": changes.get("kinds", subscription.kinds),
        "role": changes.get("role", subscription.account.role),
    }
    clean = _clean(merged["name"], merged["url"], merged["kinds"], merged["role"], resolver)
    active = changes.get("active", subscription.active)
    if not isinstance(active, bool):
        raise FieldError(active="Say true or false.")
    with transaction.atomic():
        if clean["role"] != subscription.account.role:
            subscription.account.role = clean["role"]
            subscription.account.save(update_fields=["role"])
        if active and not subscription.active:
            subscription.consecutive_failures = 0
            subscription.disabled_reason = ""
            cache.delete(ALERT_CACHE)
        subscription.name, subscription.url, subscription.kinds = clean["name"], clean["url"], clean["kinds"]
        subscription.active = active
        subscription.updated_at = now
        settings_history.setting_save(actor=actor, instance=subscription, now=now)
        _kinds_changed()
    return subscription


def subscription_delete(*, actor: User, subscription_id: int, now: datetime) -> None:
    subscription = subscription_get(actor=actor, subscription_id=subscription_id)
    account = subscription.account
    with transaction.atomic():
        settings_history.setting_delete(actor=actor, instance=subscription, now=now)
        account.is_active = False
        account.save(update_fields=["is_active"])
        _kinds_changed()
    cache.delete(ALERT_CACHE)


def secret_rotate(*, actor: User, subscription_id: int, now: datetime) -> str:
    """A new secret replaces the old at once (returned once); the change is in the settings history."""
    subscription = subscription_get(actor=actor, subscription_id=subscription_id)
    secret = secrets.generate()
    subscription.secret_encrypted = secrets.encrypt(secret)
    subscription.updated_at = now
    with transaction.atomic():
        subscription.save(update_fields=["secret_encrypted", "updated_at"])
        settings_history.setting_change_record(
            actor=actor,
            instance=subscription,
            before={"secret": "previous"},
            after={"secret": "rotated"},
            via=Via.SERVICE,
            reason="Signing secret rotated",
            now=now,
        )
    return secret


# --- from the journal ---------------------------------------------------------------------------


def events_received(events: Sequence[CaseEvent], *, now: datetime | None = None) -> list[Delivery]:
    """The journal's job subscriber: a delivery (or a skipped one, with its reason) for each
    active subscription to each event's kind; the pending ones are sent once this commits."""
    from django.utils import timezone

    now = now or timezone.now()
    kinds = {e.kind for e in events}
    made: list[Delivery] = []
    for subscription in Subscription.objects.filter(active=True).select_related("account").order_by("id"):
        wanted = [e for e in events if e.kind in subscription.kinds and e.kind in kinds]
        if not wanted:
            continue
        made.extend(
            Delivery(
                subscription=subscription,
                event=built.event,
                kind=built.event.kind,
                case_reference=built.case_reference,
                status=DeliveryStatus.SKIPPED if built.reason else DeliveryStatus.PENDING,
                reason=built.reason,
                body=built.body,
                next_attempt_at=None if built.reason else now,
                created_at=now,
            )
            for built in payloads.build(subscription.account, subscription.pk, wanted)
        )
    if not made:
        return made
    Delivery.objects.bulk_create(made, ignore_conflicts=True)
    pending = list(
        Delivery.objects.filter(
            event_id__in=[d.event_id for d in made], status=DeliveryStatus.PENDING, attempts=0
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        transaction.on_commit(_sender(pk))
    return made


def _sender(delivery_id: int) -> Callable[[], None]:
    return lambda: jobs.enqueue(SEND_JOB, delivery_id)


# --- sending ------------------------------------------------------------------------------------

Clock = Callable[[], float]


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str
    error: str


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body``; the answer's status and the start of its body, or the error. A redirect is an
    answer (a failure), never followed to where it points."""
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = kind(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(EXCERPT).decode("utf-8", "replace"), "")
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Answer(None, "", f"Could not connect: {error}"[:300])
    finally:
        connection.close()


def attempt(
    delivery_id: int,
    *,
    now: datetime,
    actor: User | None = None,
    clock: Clock = time.perf_counter,
    resolver: urlguard.Resolver | None = None,
) -> Attempt | None:
    """Try one delivery now: sign, send, record the attempt, and schedule the next or give up.
    None when there is nothing to do (delivered already, not due, or the subscription is off)."""
    manual = actor is not None
    # No lock is held while the receiver answers (SQLite would stop every write for that long): two
    # workers may both send one delivery, which at-least-once delivery allows (receivers dedupe on
    # the Rapport-Delivery header).
    delivery = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.SKIPPED:
        return None
    subscription = delivery.subscription
    if not manual and (
        delivery.status != DeliveryStatus.PENDING
        or not subscription.active
        or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now)
    ):
        return None
    number = delivery.attempts + 1
    timestamp = int(now.timestamp())
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        rules.TIMESTAMP_HEADER: str(timestamp),
        rules.SIGNATURE_HEADER: rules.sign(secrets.decrypt(subscription.secret_encrypted), timestamp, body),
        rules.EVENT_HEADER: delivery.kind,
        rules.DELIVERY_HEADER: str(delivery.pk),
    }
    started = clock()
    try:
        urlguard.check(subscription.url, resolver=resolver)
    except FieldError as error:
        answer = Answer(None, "", f"Refused: {' '.join(error.errors['url'])}"[:300])
    else:
        answer = post(subscription.url, body, headers, getattr(settings, "WEBHOOKS_TIMEOUT", 10.0))
    duration = max(0, round((clock() - started) * 1000))
    return _record(delivery, number, answer, duration, now=now, actor=actor)


def _record(
    delivery: Delivery, number: int, answer: Answer, duration: int, *, now: datetime, actor: User | None
) -> Attempt:
    manual, subscription = actor is not None, delivery.subscription
    with transaction.atomic():
        row = Attempt.objects.create(
            delivery=delivery,
            number=number,
            at=now,
            status_code=answer.status_code,
            duration_ms=duration,
            error=answer.error or ("" if rules.succeeded(answer.status_code) else f"HTTP {answer.status_code}"),
            response_excerpt=answer.excerpt[:EXCERPT],
            manual=manual,
            actor=actor,
        )
        delivery.attempts = number
        delivery.last_status_code = answer.status_code
        if rules.succeeded(answer.status_code):
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
            if subscription.consecutive_failures:
                Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        else:
            if number < rules.MAX_ATTEMPTS and not manual:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, now + rules.backoff(number)
            elif delivery.status != DeliveryStatus.DELIVERED:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            _failed(subscription, now)
        delivery.save(update_fields=["attempts", "last_status_code", "status", "delivered_at", "next_attempt_at"])
    return row


def _failed(subscription: Subscription, now: datetime) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    subscription.refresh_from_db(fields=["consecutive_failures", "active"])
    limit = getattr(settings, "WEBHOOKS_DISABLE_AFTER", rules.DISABLE_AFTER)
    if subscription.active and subscription.consecutive_failures >= limit:
        disable(
            subscription,
            now=now,
            reason=f"Switched off after {subscription.consecutive_failures} failed attempts in a row.",
        )


def disable(subscription: Subscription, *, now: datetime, reason: str) -> None:
    """Switch a subscription off (its pending deliveries wait) and tell every admin, by email and in
    the desk's header, once the switch commits."""
    Subscription.objects.filter(pk=subscription.pk).update(active=False, disabled_reason=reason[:300], updated_at=now)
    subscription.active, subscription.disabled_reason = False, reason[:300]
    settings_history.setting_change_record(
        actor=None,
        instance=subscription,
        before={"active": True},
        after={"active": False},
        via=Via.SERVICE,
        reason=reason,
        now=now,
    )
    admins = list(
        User.objects.filter(role=Role.ADMIN, is_active=True)
        .exclude(email__endswith="@service.invalid")
        .values_list("email", flat=True)
    )
    text = (
        f"The webhook {subscription.name!r} ({subscription.url}) was switched off: {reason}\n"
        "Its deliveries wait. Check the receiver, then switch the webhook back on from Webhooks; "
        "failed deliveries can be redelivered from its delivery log."
    )
    if admins:
        transaction.on_commit(
            lambda: notify.email_send(to=admins, subject=f"Webhook switched off: {subscription.name}", text=text)
        )
    cache.delete(ALERT_CACHE)  # now for this process, and again once committed for any that read it meanwhile
    transaction.on_commit(lambda: cache.delete(ALERT_CACHE))
    _kinds_changed()


def send(delivery_id: int) -> str:
    """The send job: one attempt now, if due."""
    from django.utils import timezone

    done = attempt(delivery_id, now=timezone.now())
    return "sent" if done is not None else "nothing to do"


def due(*, now: datetime, limit: int = 500) -> list[int]:
    """Deliveries whose next attempt has come (their subscriptions on), oldest first."""
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__active=True)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def flush(*, now: datetime, clock: Clock = time.perf_counter) -> int:
    """Attempt every due delivery (the periodic job; retries after back-off)."""
    sent = 0
    for pk in due(now=now):
        if attempt(pk, now=now, clock=clock) is not None:
            sent += 1
    return sent


def redeliver(*, actor: User, subscription_id: int, delivery_id: int, now: datetime) -> Attempt:
    """Send a delivery again now, whatever its state (a skipped one excepted: it may not be sent)."""
    subscription = subscription_get(actor=actor, subscription_id=subscription_id)
    delivery = Delivery.objects.filter(pk=delivery_id, subscription=subscription).first()
    if delivery is None:
        raise NotFound(NO_DELIVERY)
    if delivery.status == DeliveryStatus.SKIPPED:
        raise Refused(SKIPPED_NOT_SENT.format(reason=delivery.reason))
    done = attempt(delivery.pk, now=now, actor=actor)
    assert done is not None
    return done


def disabled_count() -> int:
    """How many subscriptions are switched off after failures (cached: the header asks on every page)."""
    found = cache.get(ALERT_CACHE)
    if found is None:
        found = Subscription.objects.filter(active=False).exclude(disabled_reason="").count()
        cache.set(ALERT_CACHE, found, 300)
    return int(found)


NO_ACTIVE_WEBHOOK = "No webhook with that id is switched on."
ALREADY_SENT = "this event went to that webhook already"


def automation_call(case: Case, params: Mapping[str, Any], now: datetime) -> str:
    """An automation rule's "call a webhook" (``extensions.automation_actions``): the case's latest
    event goes to one webhook, built and checked as any delivery is (the access gate as its service
    account, restriction of processing), and sent once this commits. A skipped payload refuses
    the action with its reason."""
    webhook_id = params.get("webhook")
    subscription = (
        Subscription.objects.filter(pk=webhook_id, active=True).select_related("account").first()
        if isinstance(webhook_id, int)
        else None
    )
    if subscription is None:
        raise Refused(NO_ACTIVE_WEBHOOK)
    event = CaseEvent.objects.filter(case=case).order_by("-id").first()
    if event is None:
        raise Refused(NO_ACTIVE_WEBHOOK)
    built = payloads.build(subscription.account, subscription.pk, [event])[0]
    if built.reason:
        raise Refused(built.reason)
    delivery, created = Delivery.objects.get_or_create(
        subscription=subscription,
        event=event,
        defaults={
            "kind": event.kind,
            "case_reference": built.case_reference,
            "status": DeliveryStatus.PENDING,
            "body": built.body,
            "next_attempt_at": now,
            "created_at": now,
        },
    )
    if not created:
        return f"webhook “{subscription.name}”: {ALREADY_SENT}"
    transaction.on_commit(_sender(delivery.pk))
    return f"sent to webhook “{subscription.name}”"
