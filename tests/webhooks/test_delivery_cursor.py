"""The delivery log walks by cursor (the documented way) while page numbers keep working."""

from __future__ import annotations

from rapport.accounts.services import token_create
from rapport.cases.models import CaseEvent
from rapport.cases.services import case_create
from rapport.webhooks import services
from rapport.webhooks.models import Delivery

API = "/api/v1/webhooks"


def test_the_delivery_log_walks_by_cursor_and_by_page(client, admin, agent, customer, team, subscribe, now):
    subscription = subscribe()
    for subject in ("Boiler", "Radiator", "Thermostat"):
        case_create(
            actor=agent, customer=customer, subject=subject, body="No heat", channel="phone", team=team, now=now
        )
    services.events_received(list(CaseEvent.objects.filter(kind="created")), now=now)
    newest_first = list(Delivery.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=admin)[1]}"}

    first = client.get(f"{API}/{subscription.pk}/deliveries", {"limit": 2}, **headers).json()
    rest = client.get(f"{API}/{subscription.pk}/deliveries", {"limit": 2, "cursor": first["next_cursor"]}, **headers)
    second_page = client.get(f"{API}/{subscription.pk}/deliveries", {"limit": 2, "page": 2}, **headers).json()

    assert [d["id"] for d in first["items"] + rest.json()["items"]] == newest_first
    assert (first["page"], first["pages"], first["count"]) == (1, 2, 3)
    assert rest.json()["next_cursor"] is None
    assert rest.json()["count"] is None
    assert [d["id"] for d in second_page["items"]] == newest_first[2:]
