"""Demo data for webhooks: the CRM sync a contact centre runs, a manager-role subscription to case
events, with recent deliveries: three delivered, one that failed every attempt (the CRM was down
for maintenance)."""

from __future__ import annotations

import secrets as random
from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.domain import webhooks as rules
from rapport.webhooks import payloads, secrets
from rapport.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from rapport.webhooks.services import subscribable

DEMO_URL = "https://crm.example.co.uk/hooks/rapport"
DEMO_SECRET = "whsec_demo_not_for_production_use_0000000000000000"  # noqa: S105 - demo only


def seed_webhooks_demo(now: datetime) -> None:
    # Events written before the subscription existed are owed to nobody: forget them.
    for kind in subscribable():
        while journal.deliver(f"webhooks.{kind}"):
            pass
    if Subscription.objects.exists():
        return
    account = User.objects.create_user(
        f"webhook-{random.token_hex(8)}@service.invalid", None, name="Webhook: CRM sync", role=Role.MANAGER
    )
    subscription = Subscription.objects.create(
        name="CRM sync",
        url=DEMO_URL,
        kinds=["created", "changed", "message"],
        account=account,
        secret_encrypted=secrets.encrypt(DEMO_SECRET),
        created_at=now - timedelta(days=7),
        updated_at=now - timedelta(days=7),
    )
    events = list(CaseEvent.objects.filter(kind__in=subscription.kinds).order_by("-at", "-id")[:4])
    built = [b for b in payloads.build(account, subscription.pk, events) if not b.reason]
    for i, item in enumerate(built):
        created = now - timedelta(hours=2, minutes=10 * i)
        failed = i == len(built) - 1 and len(built) > 1
        delivery = Delivery.objects.create(
            subscription=subscription,
            event=item.event,
            kind=item.event.kind,
            case_reference=item.case_reference,
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.DELIVERED,
            body=item.body,
            attempts=rules.MAX_ATTEMPTS if failed else 1,
            last_status_code=503 if failed else 200,
            created_at=created,
            delivered_at=None if failed else created + timedelta(milliseconds=180),
        )
        if not failed:
            Attempt.objects.create(
                delivery=delivery,
                number=1,
                at=created,
                status_code=200,
                duration_ms=180 + 7 * i,
                response_excerpt='{"received":true}',
            )
            continue
        at = created
        for number in range(1, rules.MAX_ATTEMPTS + 1):
            Attempt.objects.create(
                delivery=delivery,
                number=number,
                at=at,
                status_code=503,
                duration_ms=95,
                error="HTTP 503",
                response_excerpt="Service Unavailable: scheduled maintenance until 06:00",
            )
            at += rules.backoff(number)
