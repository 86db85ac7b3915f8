"""The webhooks API (/api/v1/webhooks) and pages: admins only, 4xx JSON naming the field, the
secret shown once, the delivery log with redelivery and CSV, a fixed number of queries."""

from __future__ import annotations

import json

import pytest

from rapport.accounts.models import Role
from rapport.cases.models import CaseEvent
from rapport.platform.models import SettingChange
from rapport.webhooks import services
from rapport.webhooks.models import Delivery, Subscription
from tests.api.conftest import auth  # noqa: F401 - the fixture
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems

API = "/api/v1/webhooks"


def _post(client, url, data, headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def api(client, auth, admin):  # noqa: F811
    return client, auth(admin)


def test_an_admin_creates_a_webhook_and_sees_the_secret_once(api, receiver):
    client, headers = api
    body = {"name": "CRM", "url": receiver.url, "kinds": ["created", "changed"], "role": "agent"}
    response = _post(client, API, body, headers)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["secret"].startswith("whsec_")
    assert made["role"] == "agent"
    one = client.get(f"{API}/{made['id']}", **headers).json()
    assert "secret" not in one
    subscription = Subscription.objects.get(pk=made["id"])
    assert made["secret"] not in subscription.secret_encrypted  # encrypted at rest
    assert SettingChange.objects.filter(model="webhooks.subscription", object_id=str(made["id"])).exists()
    assert subscription.account.role == Role.AGENT
    assert not subscription.account.has_usable_password()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "url": "https://x.example", "kinds": ["created"], "role": "agent"}, "name"),
        ({"name": "CRM\u0000", "url": "URL", "kinds": ["created"], "role": "agent"}, "name"),
        ({"name": "CRM", "url": "ftp://files.example/", "kinds": ["created"], "role": "agent"}, "url"),
        ({"name": "CRM", "url": "URL", "kinds": ["nonsense"], "role": "agent"}, "kinds"),
        ({"name": "CRM", "url": "URL", "kinds": [], "role": "agent"}, "kinds"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(api, receiver, body, field):
    client, headers = api
    body = {**body, "url": receiver.url if body["url"] == "URL" else body["url"]}
    response = _post(client, API, body, headers)
    assert 400 <= response.status_code < 500
    assert field in json.dumps(response.json())


def test_a_role_outside_the_list_and_junk_json_are_4xx(api):
    client, headers = api
    bad_role = _post(
        client, API, {"name": "x", "url": "https://x.example", "kinds": ["created"], "role": "customer"}, headers
    )
    assert bad_role.status_code == 422
    assert "role" in json.dumps(bad_role.json())
    junk = client.post(API, data="{", content_type="application/json", **headers)
    assert 400 <= junk.status_code < 500
    assert client.get(f"{API}/nope", **headers).status_code == 422
    assert client.get(f"{API}/999999", **headers).status_code == 404


def test_only_admins_reach_webhooks(client, auth, manager, agent):  # noqa: F811
    for user in (manager, agent):
        assert client.get(API, **auth(user)).status_code == 404
        assert signed_in(user).get("/webhooks/").status_code == 404


def test_patch_rotate_deliveries_redeliver_and_delete(api, subscribe, receiver, agent, customer, team, now):
    client, headers = api
    subscription = subscribe(Role.MANAGER, kinds=["created"])
    patched = client.patch(
        f"{API}/{subscription.pk}", data=json.dumps({"name": "CRM sync"}), content_type="application/json", **headers
    )
    assert patched.json()["name"] == "CRM sync"
    bad = client.patch(
        f"{API}/{subscription.pk}",
        data=json.dumps({"url": "https://10.0.0.1/"}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["url"]
    from rapport.cases.services import case_create

    case = case_create(
        actor=agent, customer=customer, subject="Boiler", body="No heat", channel="phone", team=team, now=now
    )
    services.events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    delivery = Delivery.objects.get(subscription=subscription)
    log = client.get(f"{API}/{subscription.pk}/deliveries", **headers).json()
    assert [d["id"] for d in log["items"]] == [delivery.pk]
    assert log["items"][0]["attempt_log"] == []
    rotated = _post(client, f"{API}/{subscription.pk}/rotate-secret", {}, headers).json()["secret"]
    receiver.secret = rotated
    sent = _post(client, f"{API}/{subscription.pk}/deliveries/{delivery.pk}/redeliver", {}, headers)
    assert sent.status_code == 200
    assert sent.json()["status_code"] == 200
    assert receiver.received[-1].verified
    assert client.get(f"{API}/{subscription.pk}/deliveries?status=delivered", **headers).json()["count"] == 1
    assert client.get(f"{API}/{subscription.pk}/deliveries?status=bogus", **headers).status_code == 422
    assert _post(client, f"{API}/{subscription.pk}/deliveries/999999/redeliver", {}, headers).status_code == 404
    assert client.delete(f"{API}/{subscription.pk}", **headers).status_code == 204
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/webhooks" in paths
    assert "/api/v1/webhooks/{webhook_id}/deliveries" in paths
    assert "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver" in paths


# --- pages --------------------------------------------------------------------------------------


def test_the_list_page_is_accessible_with_an_empty_state_and_csv(admin, subscribe):
    page = signed_in(admin).get("/webhooks/")
    html = page.content.decode()
    assert "No webhooks yet" in html
    assert page_problems(html) == []
    subscribe(Role.MANAGER)
    html = signed_in(admin).get("/webhooks/").content.decode()
    assert "<caption>Webhook subscriptions</caption>" in html
    assert page_problems(html) == []
    csv = signed_in(admin).get("/webhooks/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "CRM manager" in csv.content.decode()


def test_creating_on_the_page_shows_the_secret_once_and_bad_input_a_message(admin, receiver):
    client = signed_in(admin)
    bad = client.post(
        "/webhooks/new/", {"name": "CRM", "url": "https://10.1.1.1/in", "kinds": ["created"], "role": "agent"}
    )
    assert bad.status_code == 400
    assert "private or internal" in bad.content.decode()
    made = client.post(
        "/webhooks/new/", {"name": "CRM", "url": receiver.url, "kinds": ["created"], "role": "agent", "active": "on"}
    )
    html = made.content.decode()
    assert made.status_code == 200
    assert "it will not be shown again" in html
    assert page_problems(html) == []
    subscription = Subscription.objects.get()
    edit = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert "whsec_" not in edit
    assert page_problems(edit) == []


@pytest.mark.parametrize("size", [1, 5])
def test_the_list_costs_the_same_whatever_its_length(admin, subscribe, size, django_assert_max_num_queries):
    for _ in range(size):
        subscribe(Role.MANAGER)
    client = signed_in(admin)
    client.get("/")
    with django_assert_max_num_queries(10):
        html = client.get("/webhooks/").content.decode()
    assert html.count("Deliveries<span") == size


@pytest.mark.parametrize("size", [2, 8])
def test_the_delivery_log_costs_the_same_whatever_its_length(
    admin, subscribe, agent, customer, team, now, size, django_assert_max_num_queries
):
    from rapport.cases.services import case_create

    subscription = subscribe(Role.MANAGER, kinds=["created"])
    for i in range(size):
        case = case_create(
            actor=agent, customer=customer, subject=f"Case {i}", body="x", channel="phone", team=team, now=now
        )
        services.events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    for delivery in Delivery.objects.all():
        services.attempt(delivery.pk, now=now)
    client = signed_in(admin)
    client.get("/")  # session and caches warm
    with django_assert_max_num_queries(12):
        page = client.get(f"/webhooks/{subscription.pk}/deliveries/")
    html = page.content.decode()
    assert html.count('id="delivery-') == size
    assert page_problems(html) == []
    csv = client.get(f"/webhooks/{subscription.pk}/deliveries/?format=csv").content.decode()
    assert csv.count("\n") == size + 1


def test_redeliver_from_the_log_page(admin, subscribe, receiver, agent, customer, team, now):
    from rapport.cases.services import case_create

    subscription = subscribe(Role.MANAGER, kinds=["created"])
    case = case_create(actor=agent, customer=customer, subject="Boiler", body="x", channel="phone", team=team, now=now)
    services.events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    delivery = Delivery.objects.get()
    response = signed_in(admin).post(f"/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/", follow=True)
    assert f"Delivery {delivery.pk} sent again: HTTP 200." in response.content.decode()
    assert receiver.received[-1].verified
