"""Promises to customers: made from the first-response target in business time, said in words,
kept or missed, flagged before they break, revised by the owner (or the SLA's proposal confirmed)
with the customer told, and measured as "promises kept"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from rapport import extensions
from rapport.cases.models import CaseEvent
from rapport.cases.services import case_create, message_add
from rapport.improvement.catalogue import scope
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.sla.models import Promise, PromiseState
from rapport.sla.promises import AT_RISK_WITHIN, UNCONFIRMED, promise_revise, promises_check
from tests.web.conftest import signed_in

H = timedelta(hours=1)


def promises(case) -> list[Promise]:
    return list(Promise.objects.filter(case=case).order_by("made_at", "id"))


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case, kind__startswith="promise_").values_list("kind", flat=True))


@pytest.fixture
def case(case, agent):
    """The conftest's case, owned by the agent (the owner is asked for a new time)."""
    type(case).objects.filter(pk=case.pk).update(owner=agent)
    case.owner = agent
    return case


@pytest.fixture
def clock_now(now, monkeypatch):
    def at(offset: timedelta = timedelta()) -> None:
        monkeypatch.setattr(timezone, "now", lambda: now + offset)

    at()
    return at


def test_a_new_case_makes_a_promise_at_its_first_response_target(case, now):
    # Given the case opened Monday 2 March 2026 10:00 GMT with a 4-hour first-response target
    [made] = promises(case)

    assert made.due_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert made.state == PromiseState.OPEN
    assert kinds(case) == ["promise_made"]
    found = extensions.promises_for([case], now)[case.pk]
    assert found.text == "We will reply by 2pm on Monday 2 March."
    assert not found.late


@pytest.mark.parametrize(
    ("opened", "said"),
    [
        # Friday 16:00 GMT: 1.5 h on Friday, 2.5 h on Monday.
        (datetime(2026, 3, 6, 16, tzinfo=UTC), "We will reply by 11:30am on Monday 9 March."),
        # Maundy Thursday 16:00 BST: Good Friday and Easter Monday are bank holidays in England.
        (datetime(2026, 4, 2, 15, tzinfo=UTC), "We will reply by 11:30am on Tuesday 7 April."),
        # Raised on Saturday: the clock starts at Monday's opening.
        (datetime(2026, 3, 7, 11, tzinfo=UTC), "We will reply by 1pm on Monday 9 March."),
        # Christmas Eve 15:00 GMT: Christmas Day and Boxing Day (a Saturday, so Monday 28 off).
        (datetime(2026, 12, 24, 15, tzinfo=UTC), "We will reply by 10:30am on Tuesday 29 December."),
    ],
)
def test_the_promise_counts_business_time_over_weekends_and_bank_holidays(agent, customer, team, opened, said):
    case = case_create(
        actor=agent, customer=customer, subject="Refund", body="Where is it?", channel="email", team=team, now=opened
    )

    assert extensions.promises_for([case], opened)[case.pk].text == said


def test_a_reply_in_time_keeps_the_promise(case, agent, now):
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="Sorry, a new one is on its way.", now=now + H
    )

    [kept] = promises(case)
    assert kept.state == PromiseState.KEPT
    assert kept.decided_at == now + H
    assert kinds(case) == ["promise_made", "promise_kept"]
    assert extensions.promises_for([case], now + H) == {}


def test_a_late_reply_misses_the_promise(case, agent, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Sorry for the wait.", now=now + 5 * H)

    assert promises(case)[0].state == PromiseState.MISSED


def test_the_job_decides_promises_whose_time_passed_without_a_reply(case, now):
    assert promises_check(now=now + 3 * H)["decided"] == 0
    counts = promises_check(now=now + 4 * H)

    assert counts["decided"] == 1
    assert promises(case)[0].state == PromiseState.MISSED
    assert promises_check(now=now + 5 * H)["decided"] == 0  # once


def test_a_promise_about_to_be_missed_is_flagged_with_a_time_proposed_from_the_sla(
    case, agent, now, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    flagged_at = now + 4 * H - AT_RISK_WITHIN  # 12:00, two hours before 14:00

    with django_capture_on_commit_callbacks(execute=True):
        counts = promises_check(now=flagged_at)

    [promise] = promises(case)
    assert counts["at_risk"] == 1
    assert promise.at_risk_at == flagged_at
    # The policy's 4 business hours again from 12:00 Monday: 16:00 the same day.
    assert promise.proposed_due == datetime(2026, 3, 2, 16, tzinfo=UTC)
    [owner_mail] = mail.outbox
    assert owner_mail.to == [agent.email]
    assert case.reference in owner_mail.subject
    assert kinds(case) == ["promise_made", "promise_at_risk"]
    assert promises_check(now=flagged_at + timedelta(minutes=5))["at_risk"] == 0  # once


def test_the_proposal_skips_the_weekend(agent, customer, team):
    friday = datetime(2026, 3, 6, 14, tzinfo=UTC)
    case = case_create(
        actor=agent, customer=customer, subject="Refund", body="?", channel="email", team=team, now=friday
    )
    # Due at Monday 9 March 09:30 (3.5 h on Friday, 0.5 h on Monday); flagged Monday 07:30,
    # before opening: 4 business hours from there end at Monday 13:00.
    promises_check(now=datetime(2026, 3, 9, 7, 30, tzinfo=UTC))

    assert promises(case)[0].proposed_due == datetime(2026, 3, 9, 13, tzinfo=UTC)


def test_the_owner_sets_a_new_time_and_the_customer_is_told_before_the_promise_breaks(
    case, agent, customer, now, django_capture_on_commit_callbacks
):
    promises_check(now=now + 2 * H)
    mail.outbox.clear()
    new_time = datetime(2026, 3, 3, 13, tzinfo=UTC)

    with django_capture_on_commit_callbacks(execute=True):
        revised = promise_revise(
            actor=agent,
            reference=case.reference,
            due=new_time,
            proposed=False,
            reason="Waiting on the warehouse",
            now=now + 3 * H,
        )

    old, new = promises(case)
    assert (old.state, old.decided_at) == (PromiseState.REVISED, now + 3 * H)
    assert new == revised
    assert (new.revises, new.set_by, new.proposed) == (old, agent, False)
    assert (new.due_at, new.state) == (new_time, PromiseState.OPEN)
    [told] = mail.outbox
    assert told.to == [customer.email]
    assert "We will now reply by 1pm on Tuesday 3 March." in told.body
    assert kinds(case)[-1] == "promise_revised"
    assert extensions.promises_for([case], now + 3 * H)[case.pk].due == new_time


def test_the_owner_confirms_the_time_the_sla_proposes(case, agent, now):
    promises_check(now=now + 2 * H)

    new = promise_revise(actor=agent, reference=case.reference, due=None, proposed=True, reason="", now=now + 3 * H)

    assert new.proposed
    assert new.due_at == datetime(2026, 3, 2, 16, tzinfo=UTC)


def test_at_the_last_call_the_job_tells_the_customer_the_proposed_time(
    case, customer, now, django_capture_on_commit_callbacks
):
    promises_check(now=now + 2 * H)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        counts = promises_check(now=now + 4 * H - timedelta(minutes=20))

    assert counts["told"] == 1
    old, new = promises(case)
    assert old.state == PromiseState.REVISED
    assert (new.proposed, new.set_by, new.reason) == (True, None, UNCONFIRMED)
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_revised_promises_are_measured_by_the_promise_that_replaced_them(case, agent, now):
    promises_check(now=now + 2 * H)
    promise_revise(actor=agent, reference=case.reference, due=None, proposed=True, reason="", now=now + 3 * H)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Here you are.", now=now + 5 * H)

    sample = extensions.kpi_sources.get(extensions.PROMISES_KEPT).sample(scope("service", "", now, now + 24 * H))
    assert (sample.n, sample.total) == (1, 1)
    assert extensions.kpi(extensions.PROMISES_KEPT, scope("service", "", now, now + 24 * H)) == 100.0


def test_promises_kept_counts_kept_and_missed(agent, customer, team, now):
    made = [
        case_create(actor=agent, customer=customer, subject=f"Case {i}", body="?", channel="email", team=team, now=now)
        for i in range(4)
    ]
    for case in made[:3]:
        message_add(actor=agent, reference=case.reference, kind="outbound", body="Reply", now=now + H)
    promises_check(now=now + 5 * H)

    figure = extensions.kpi(extensions.PROMISES_KEPT, scope("service", "", now, now + 24 * H))
    assert figure == 75.0
    behind = extensions.kpi_sources.get(extensions.PROMISES_KEPT).behind(scope("service", "", now, now + 24 * H), 10)
    assert list(behind) == [made[3].pk]


@pytest.mark.parametrize(
    ("due", "field_message"),
    [
        (datetime(2026, 3, 2, 9, tzinfo=UTC), "The new time must be in the future."),
        (datetime(2026, 3, 2, 13, tzinfo=UTC), "The new time must be later than the time promised."),
        (datetime(2026, 6, 2, 13, tzinfo=UTC), "The new time must be within 60 days."),
    ],
)
def test_a_new_time_must_be_ahead_and_later_and_within_reason(case, agent, now, due, field_message):
    with pytest.raises(FieldError) as refused:
        promise_revise(actor=agent, reference=case.reference, due=due, proposed=False, reason="", now=now + H)

    assert refused.value.errors == {"due": [field_message]}
    assert promises(case)[0].state == PromiseState.OPEN


def test_only_the_owner_or_a_leader_may_revise_and_customers_see_nothing(
    case, other_agent, team_leader, customer_user, now
):
    from rapport.accounts.models import Team

    other_agent.teams.add(Team.objects.get(name="Front line"))
    promises_check(now=now + 2 * H)
    promise_revise(actor=team_leader, reference=case.reference, due=None, proposed=True, reason="", now=now + 2 * H)
    with pytest.raises(Forbidden):
        promise_revise(actor=other_agent, reference=case.reference, due=None, proposed=True, reason="", now=now)
    with pytest.raises(NotFound):
        promise_revise(actor=customer_user, reference=case.reference, due=None, proposed=True, reason="", now=now)


def test_the_case_panel_shows_the_promise_and_the_form_sets_a_new_time(case, agent, now, clock_now):
    promises_check(now=now + 2 * H)
    clock_now(2 * H)
    client = signed_in(agent)

    panel = client.get(f"/sla/cases/{case.reference}/panel", headers={"HX-Request": "true"}).content.decode()
    assert "Promise to the customer" in panel
    assert "About to be missed" in panel
    assert 'for="id_due"' in panel, panel

    bad = client.post(f"/sla/cases/{case.reference}/promise", {"due": "2026-03-02T09:00", "reason": ""})
    assert bad.status_code == 422
    assert "The new time must be in the future." in bad.content.decode()

    done = client.post(f"/sla/cases/{case.reference}/promise", {"due": "2026-03-03T13:00", "reason": "Parts"})
    assert done.status_code == 302
    assert promises(case)[-1].due_at == datetime(2026, 3, 3, 13, tzinfo=UTC)


def test_the_api_lists_promises_and_confirms_the_proposal(client, case, agent, now, clock_now, auth):
    promises_check(now=now + 2 * H)
    clock_now(2 * H)
    url = f"/api/v1/sla/cases/{case.reference}"

    listed = client.get(url, **auth(agent))
    assert [p["state"] for p in listed.json()["promises"]] == ["open"]

    made = client.post(f"{url}/promise", {}, content_type="application/json", **auth(agent))
    assert made.status_code == 201, made.content
    assert made.json()["proposed"] is True

    naive = client.post(
        f"{url}/promise", {"due_at": "2026-03-04T10:00:00"}, content_type="application/json", **auth(agent)
    )
    assert naive.status_code == 422
    assert [e["field"] for e in naive.json()["errors"]] == ["due_at"]


def test_the_portal_shows_each_case_its_promise(client, case, customer, agent, now, clock_now):
    later = case_create(
        actor=agent,
        customer=customer,
        subject="Late parcel",
        body="?",
        channel="email",
        team=agent.teams.first(),
        now=now,
    )
    message_add(actor=agent, reference=later.reference, kind="outbound", body="On its way.", now=now + H)
    client.force_login(customer.user)

    home = client.get("/portal/").content.decode()
    assert "When you'll hear from us" in home
    assert home.count("We will reply by 2pm on Monday 2 March.") == 1  # the replied case promises nothing now
    page = client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert "We will reply by 2pm on Monday 2 March." in page

    clock_now(5 * H)
    late = client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert "We said we would reply by 2pm on Monday 2 March. We&#x27;re sorry we&#x27;re late" in late


def test_raising_a_case_in_the_portal_acknowledges_it_with_the_promise(client, customer, clock_now):
    client.force_login(customer.user)

    response = client.post(
        "/portal/cases/new/", {"subject": "Wrong size", "type": "complaint", "body": "I need a 10."}, follow=True
    )

    assert "We will reply by 2pm on Monday 2 March." in response.content.decode()


def test_a_merged_cases_open_promise_moves_to_the_case_it_was_merged_into(case, agent, customer, team, now):
    from rapport.cases.merging import cases_merge

    other = case_create(
        actor=agent, customer=customer, subject="Kettle again", body="?", channel="email", team=team, now=now
    )
    versions = {c.reference: c.version for c in (case, other)}
    cases_merge(
        actor=agent, target_reference=case.reference, references=[other.reference], versions=versions, now=now + H
    )

    assert Promise.objects.filter(case=case, state=PromiseState.OPEN).count() == 2
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Both answered.", now=now + 2 * H)
    assert set(Promise.objects.values_list("state", flat=True)) == {PromiseState.KEPT}
