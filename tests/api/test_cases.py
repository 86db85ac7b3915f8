"""Cases over the API: lists and filters, opening, reading and changing a case, and who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import VERSION_CONFLICT, case_create, case_update

from .conftest import fields

CASE_KEYS = {
    "audience", "reference", "subject", "type", "status", "priority", "channel", "customer", "owner", "team", "tags",
    "created_at", "updated_at", "first_response_at", "resolved_at", "closed_at", "next_breach_at", "version", "url",
    "merged_into", "cc",
}  # fmt: skip


def references(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["reference"] for item in response.json()["items"]]


# --- listing -------------------------------------------------------------------------------------------


def test_a_case_in_a_list_says_everything_a_queue_shows(client, auth, agent, case, team):
    body = client.get("/api/v1/cases", **auth(agent)).json()

    assert body["next_cursor"] is None
    [item] = body["items"]
    assert set(item) == CASE_KEYS
    assert item["reference"] == case.reference
    assert item["priority"] == "normal"
    assert item["customer"] == {"id": case.customer_id, "name": "Alice Jones", "internal": False}
    assert item["team"] == {"id": team.pk, "name": "Front line"}
    assert item["owner"] is None
    assert item["url"] == f"/cases/{case.reference}/"
    assert item["version"] == 1


@pytest.mark.parametrize(
    ("who", "sees"),
    [("agent", {"case"}), ("other_agent", {"other_case"}), ("manager", {"case", "other_case"}),
     ("customer_user", {"case"})],
)  # fmt: skip
def test_each_caller_lists_only_the_cases_they_may_see(client, auth, request, case, other_case, who, sees):
    expected = {request.getfixturevalue(name).reference for name in sees}

    listed = references(client.get("/api/v1/cases", **auth(request.getfixturevalue(who))))

    assert set(listed) == expected


def test_walking_the_cursor_visits_every_case_once(client, auth, manager, customer, now):
    # given seven cases changed a minute apart
    made = [
        case_create(actor=manager, customer=customer, subject=f"Case {i}", body="x", now=now + timedelta(minutes=i))
        for i in range(7)
    ]
    seen, cursor = [], None

    # when the caller follows next_cursor three at a time
    for _ in range(5):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/cases", params, **auth(manager)).json()
        seen += [item["reference"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    # then every case came once, newest change first
    assert seen == [case.reference for case in reversed(made)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"urgent", "plain"}),
        ({"status": "any"}, {"urgent", "plain", "resolved-high"}),
        ({"status": "resolved"}, {"resolved-high"}),
        ({"status": "new,resolved"}, {"urgent", "plain", "resolved-high"}),
        ({"priority": "urgent"}, {"urgent"}),
        ({"priority": "high", "status": "any"}, {"resolved-high"}),
        ({"tag": "kettle"}, {"urgent"}),
        ({"channel": "phone"}, {"plain"}),
        ({"customer": "999999"}, set()),
    ],
)
def test_filters_narrow_the_list(client, auth, manager, customer, now, params, expected):
    def make(subject, **extra):
        return case_create(actor=manager, customer=customer, subject=subject, body="x", now=now, **extra)

    make("urgent", priority="urgent", tags=["kettle"], channel="email")
    make("plain", channel="phone")
    resolved = make("resolved-high", priority="high", channel="email")
    case_update(actor=manager, reference=resolved.reference, expected_version=1, changes={"status": "resolved"})

    body = client.get("/api/v1/cases", params, **auth(manager)).json()

    assert {item["subject"] for item in body["items"]} == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"priority": "extreme"}, "priority"),
        ({"type": "moan"}, "type"),
        ({"status": "lost"}, "status"),
        ({"queue": "everyone"}, "queue"),
        ({"sort": "random"}, "sort"),
        ({"team": "front"}, "team"),
        ({"customer": str(10**20)}, "customer"),
        ({"cursor": "not-a-cursor!"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(client, auth, agent, case, params, field):
    response = client.get("/api/v1/cases", params, **auth(agent))

    assert response.status_code == 422
    assert list(fields(response)) == [field]


def test_a_bad_choice_lists_the_choices(client, auth, agent):
    response = client.get("/api/v1/cases", {"priority": "extreme"}, **auth(agent))

    assert fields(response) == {"priority": ["Choose one of: low, normal, high, urgent."]}


# --- opening a case ------------------------------------------------------------------------------------


def test_staff_open_a_case_for_a_customer(client, auth, agent, customer, team):
    response = client.post(
        "/api/v1/cases",
        {"customer": customer.pk, "subject": "Lost parcel", "body": "It never came.", "type": "complaint",
         "channel": "phone", "priority": "high", "team": team.pk, "owner": agent.pk, "tags": ["Parcel", "courier"]},
        content_type="application/json",
        **auth(agent),
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert response["Location"] == f"/api/v1/cases/{case.reference}"
    assert body["reference"] == case.reference
    assert (body["type"], body["channel"], body["priority"], body["status"]) == ("complaint", "phone", "high", "open")
    assert body["owner"] == {"id": agent.pk, "name": "Agent"}
    assert body["tags"] == ["courier", "parcel"]
    assert case.messages.get().body == "It never came."


def test_a_customer_opens_a_case_for_themselves(client, auth, customer_user, customer):
    response = client.post(
        "/api/v1/cases",
        {"subject": "Where is my refund?", "body": "It has been a month.", "priority": "urgent"},
        content_type="application/json",
        **auth(customer_user),
    )

    assert response.status_code == 201
    case = Case.objects.get()
    assert case.customer == customer
    # the desk, not the customer, sets channel and priority; the answer is the customer's view
    assert (case.channel, case.priority) == ("portal", 2)
    assert response.json()["audience"] == "customer"
    assert "priority" not in response.json()


@pytest.mark.parametrize(
    ("who", "body", "field"),
    [
        ("agent", {"subject": "x", "body": "y"}, "customer"),
        ("agent", {"customer": 999_999, "subject": "x", "body": "y"}, "customer"),
        ("customer_user", {"customer": "other", "subject": "x", "body": "y"}, "customer"),
        ("agent", {"customer": "mine", "body": "y"}, "subject"),
        ("agent", {"customer": "mine", "subject": "  ", "body": "y"}, "subject"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "priority": "extreme"}, "priority"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "type": "moan"}, "type"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "team": 999_999}, "team"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "team": 10**20}, "team"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "owner": "me"}, "owner"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "colour": "red"}, "colour"),
        ("agent", {"customer": "mine", "subject": "x", "body": "y", "tags": [1, 2]}, "tags"),
    ],
)
def test_a_bad_new_case_is_a_422_naming_the_field_and_saves_nothing(
    client, auth, request, customer, other_customer, who, body, field
):
    body = {**body}
    if body.get("customer") in ("mine", "other"):
        body["customer"] = (customer if body["customer"] == "mine" else other_customer).pk

    response = client.post("/api/v1/cases", body, content_type="application/json", **auth(request.getfixturevalue(who)))

    assert response.status_code == 422, response.json()
    assert field in fields(response)
    assert Case.objects.count() == 0


def test_tags_may_come_as_one_comma_separated_string(client, auth, agent, customer):
    response = client.post(
        "/api/v1/cases",
        {"customer": customer.pk, "subject": "x", "body": "y", "tags": "kettle, warranty"},
        content_type="application/json",
        **auth(agent),
    )

    assert response.json()["tags"] == ["kettle", "warranty"]


# --- one case ------------------------------------------------------------------------------------------


def test_one_case_with_its_version_as_etag(client, auth, agent, case):
    response = client.get(f"/api/v1/cases/{case.reference}", **auth(agent))

    assert response.status_code == 200
    assert response.json()["subject"] == "Broken kettle"
    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("who", "whose"),
    [("customer_user", "other_case"), ("other_customer_user", "case"), ("other_agent", "case"),
     ("agent", "other_case"), ("agent", "missing"), ("agent", "nonsense")],
)  # fmt: skip
def test_a_case_the_caller_may_not_see_is_not_found(
    client, auth, request, case, other_case, other_customer, who, whose
):
    user = other_customer.user if who == "other_customer_user" else request.getfixturevalue(who)
    reference = {"case": case.reference, "other_case": other_case.reference, "missing": "C-999999"}.get(whose, "X-12")

    for method in ("get", "patch"):
        response = getattr(client, method)(
            f"/api/v1/cases/{reference}", {"version": 1, "subject": "Mine now"},
            content_type="application/json", **auth(user),
        )  # fmt: skip
        assert response.status_code == 404
        assert response.json() == {"detail": "No case with that reference.", "errors": []}
    assert not Case.objects.filter(subject="Mine now").exists()


def test_customers_do_not_see_the_desks_tags(client, auth, customer_user, agent, case):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"tags": ["difficult"]})

    seen_by_customer = client.get(f"/api/v1/cases/{case.reference}", **auth(customer_user)).json()
    seen_by_agent = client.get(f"/api/v1/cases/{case.reference}", **auth(agent)).json()

    assert "tags" not in seen_by_customer
    assert seen_by_agent["tags"] == ["difficult"]


CUSTOMER_CASE_KEYS = {
    "audience", "reference", "subject", "type", "status", "channel", "created_at", "updated_at",
    "first_response_at", "resolved_at", "closed_at", "url",
}  # fmt: skip


def test_customers_get_only_what_the_policy_lets_them_see(client, auth, customer_user, agent, case, now):
    # given: a case with an owner, a team and tags
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"tags": ["vip"], "owner": agent.pk})
    for url in ("/api/v1/cases", f"/api/v1/cases/{case.reference}"):
        # when: the customer reads their case
        body = client.get(url, **auth(customer_user)).json()
        item = body["items"][0] if "items" in body else body
        # then: exactly the customer view: no owner, team, tags, priority or SLA deadline
        assert set(item) == CUSTOMER_CASE_KEYS
        assert item["url"] == f"/portal/cases/{case.reference}/"
        staff = client.get(url, **auth(agent)).json()
        assert "next_breach_at" in (staff["items"][0] if "items" in staff else staff)


def test_the_customer_view_is_the_policys_allow_list():
    from rapport import access as policy
    from rapport.cases.schemas import CustomerCaseOut

    assert set(CustomerCaseOut.model_fields) - {"audience"} == policy.CUSTOMER_CASE_FIELDS


@pytest.mark.parametrize(
    "params",
    [{"priority": "high"}, {"queue": "breaching"}, {"sort": "breach"}, {"sort": "priority"}, {"owner": "1"}],
)
def test_customers_cannot_filter_or_sort_by_what_they_may_not_see(client, auth, customer_user, case, params):
    response = client.get("/api/v1/cases", params, **auth(customer_user))
    assert response.status_code == 422
    assert fields(response) == {name: ["Only staff can filter or sort cases by this."] for name in params}


def test_customers_cannot_filter_by_the_desks_tags(client, auth, customer_user, agent, case):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"tags": ["difficult"]})

    response = client.get("/api/v1/cases", {"tag": "difficult"}, **auth(customer_user))

    assert response.status_code == 422
    assert fields(response) == {"tag": ["Filtering by tag is for staff."]}


# --- changing a case -----------------------------------------------------------------------------------


def patch(client, case, body, headers, **extra):
    return client.patch(f"/api/v1/cases/{case.reference}", body, content_type="application/json", **headers, **extra)


def test_a_change_with_the_current_version_is_applied(client, auth, agent, case):
    response = patch(client, case, {"version": 1, "priority": "urgent", "owner": agent.pk}, auth(agent))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["priority"], body["owner"]["id"], body["status"], body["version"]) == ("urgent", agent.pk, "open", 2)
    assert response["ETag"] == '"2"'
    case.refresh_from_db()
    assert case.priority == 4


@pytest.mark.parametrize("if_match", ['"1"', "1", 'W/"1"'])
def test_the_version_may_come_as_if_match(client, auth, agent, case, if_match):
    response = patch(client, case, {"subject": "Kettle will not heat"}, auth(agent), HTTP_IF_MATCH=if_match)

    assert response.status_code == 200
    assert response.json()["subject"] == "Kettle will not heat"


def test_null_clears_the_team(client, auth, agent, case):
    response = patch(client, case, {"version": 1, "team": None}, auth(agent))

    assert response.json()["team"] is None


def test_a_stale_version_is_a_409_with_the_current_case_and_changes_nothing(client, auth, agent, team_leader, case):
    # given a colleague changed the case after the agent read it
    case_update(actor=team_leader, reference=case.reference, expected_version=1, changes={"priority": "high"})
    events_before = CaseEvent.objects.count()

    # when the agent sends their change against version 1
    response = patch(client, case, {"version": 1, "priority": "low", "subject": "Changed"}, auth(agent))

    # then 409 carries the case as it is now, and nothing was written
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == VERSION_CONFLICT
    assert fields(response) == {"version": [VERSION_CONFLICT]}
    assert (body["current"]["version"], body["current"]["priority"]) == (2, "high")
    assert set(body["current"]) == CASE_KEYS
    case.refresh_from_db()
    assert (case.priority, case.subject, case.version) == (3, "Broken kettle", 2)
    assert CaseEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"priority": "low"}, {}, "version"),
        ({"version": 1}, {"HTTP_IF_MATCH": "*"}, "version"),
        ({"version": 2}, {"HTTP_IF_MATCH": '"1"'}, "version"),
        ({"version": 1, "priority": "extreme"}, {}, "priority"),
        ({"version": 1, "status": "lost"}, {}, "status"),
        ({"version": 1, "subject": ""}, {}, "subject"),
        ({"version": 1, "customer": 2}, {}, "customer"),
        ({"version": 1, "owner": 999_999}, {}, "owner"),
        ({"version": "one"}, {}, "version"),
    ],
)
def test_a_bad_change_is_a_422_naming_the_field_and_changes_nothing(client, auth, agent, case, body, headers, field):
    response = patch(client, case, body, auth(agent), **headers)

    assert response.status_code == 422
    assert field in fields(response)
    case.refresh_from_db()
    assert (case.version, case.priority, case.subject) == (1, 2, "Broken kettle")


def test_a_customer_may_not_change_their_own_case(client, auth, customer_user, case):
    response = patch(client, case, {"version": 1, "priority": "urgent"}, auth(customer_user))

    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.version, case.priority) == (1, 2)


# --- messages and timeline -----------------------------------------------------------------------------


def test_staff_see_every_message_and_customers_never_see_notes(client, auth, agent, customer_user, case, note):
    def kinds(user):
        response = client.get(f"/api/v1/cases/{case.reference}/messages", **auth(user))
        assert response.status_code == 200
        return [item["kind"] for item in response.json()["items"]]

    assert kinds(agent) == ["inbound", "note"]
    assert kinds(customer_user) == ["inbound"]


def test_a_message_says_who_wrote_what(client, auth, agent, case):
    [item] = client.get(f"/api/v1/cases/{case.reference}/messages", **auth(agent)).json()["items"]

    assert set(item) == {
        "id",
        "kind",
        "channel",
        "author",
        "body",
        "body_html",
        "format",
        "created_at",
        "attachments",
        "cc",
    }
    assert (item["author"], item["body"], item["attachments"]) == ("Agent", "It stopped heating after a week.", [])


@pytest.mark.parametrize("kind", ["outbound", "note", "inbound"])
def test_staff_add_replies_notes_and_logged_messages(client, auth, agent, case, kind):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages",
        {"kind": kind, "body": "We are sending a replacement.", "body_html": "<p onclick='x()'>We are</p>"},
        content_type="application/json",
        **auth(agent),
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["author"]) == (kind, "Agent")
    assert body["body_html"] == "<p>We are</p>"
    assert case.messages.filter(kind=kind).count() == (2 if kind == "inbound" else 1)


def test_a_customer_replies_to_their_own_case(client, auth, customer_user, case):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages",
        {"kind": "inbound", "body": "Any news?"},
        content_type="application/json",
        **auth(customer_user),
    )

    assert response.status_code == 201
    assert response.json()["channel"] == "portal"


@pytest.mark.parametrize(
    ("who", "kind", "whose", "status"),
    [("customer_user", "note", "case", 403), ("customer_user", "outbound", "case", 403),
     ("customer_user", "inbound", "other_case", 404), ("agent", "note", "other_case", 404)],
)  # fmt: skip
def test_a_message_the_caller_may_not_add_is_refused_and_not_saved(
    client, auth, request, case, other_case, who, kind, whose, status
):
    target = request.getfixturevalue(whose)
    before = Message.objects.count()

    response = client.post(
        f"/api/v1/cases/{target.reference}/messages",
        {"kind": kind, "body": "Let me in."},
        content_type="application/json",
        **auth(request.getfixturevalue(who)),
    )

    assert response.status_code == status
    assert Message.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({"body": "x"}, "kind"), ({"kind": "shout", "body": "x"}, "kind"), ({"kind": "note"}, "body"),
     ({"kind": "note", "body": "  "}, "body"), ({"kind": "outbound", "body": "x", "status_after": "gone"},
     "status_after")],
)  # fmt: skip
def test_a_bad_message_is_a_422_naming_the_field(client, auth, agent, case, body, field):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages", body, content_type="application/json", **auth(agent)
    )

    assert response.status_code == 422
    assert field in fields(response)
    assert case.messages.count() == 1


def test_staff_read_the_timeline(client, auth, agent, case, now):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"priority": "high"}, now=now)

    response = client.get(f"/api/v1/cases/{case.reference}/events", **auth(agent))

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["kind"] for item in items] == ["created", "message", "changed"]
    assert (items[-1]["field"], items[-1]["before"], items[-1]["after"]) == ("priority", "normal", "high")
    assert items[-1]["actor"] == {"id": agent.pk, "name": "Agent"}


def test_customers_cannot_read_the_timeline(client, auth, customer_user, case):
    response = client.get(f"/api/v1/cases/{case.reference}/events", **auth(customer_user))

    assert response.status_code == 404


def test_a_tag_that_would_be_changed_is_refused_through_the_api_too(client, auth, agent, case):
    response = patch(client, case, {"version": 1, "tags": ["vip", "<script>x</script>"]}, auth(agent))

    assert response.status_code == 422
    assert fields(response) == {
        "tags": ["Tags can only use letters, numbers and hyphens: change “<script>x</script>”."]
    }
    case.refresh_from_db()
    assert list(case.tags.all()) == []  # nothing stored


@pytest.mark.parametrize(("kind", "message"), [("outbound", "Write a reply."), ("note", "Write a note.")])
def test_an_empty_reply_or_note_gets_the_pages_words_through_the_api(client, auth, agent, case, kind, message):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages", {"kind": kind, "body": "   "}, content_type="application/json",
        **auth(agent),
    )  # fmt: skip
    assert response.status_code == 422
    assert fields(response) == {"body": [message]}
