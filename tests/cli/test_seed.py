"""`rapport seed`: deterministic bulk data that looks like what the services write."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from rapport.cases.models import Case, CaseEvent, Message, SearchDocument
from rapport.cases.search import search
from rapport.cli import main
from rapport.customers.models import Customer
from rapport.domain import arrivals
from rapport.domain.case_rules import Channel, Status
from rapport.seeding import bulk, plans
from rapport.seeding.demo import _Desk, _play
from rapport.seeding.organisation import StaffMember
from rapport.seeding.pools import Pools
from rapport.seeding.scenarios import FRONT_LINE, SCENARIOS, SCENARIOS_BY_KEY

pytestmark = pytest.mark.django_db


def _subjects() -> list[str]:
    return list(Case.objects.order_by("id").values_list("subject", flat=True))


def _wipe() -> None:
    Case.objects.all().delete()  # messages, events, tags and search documents go with them
    Customer.objects.all().delete()


def test_seed_command_adds_the_cases_and_reports_its_rate(capsys):
    # when
    status = main(["seed", "--cases", "200", "--seed", "1"])

    # then
    assert status == 0
    out = capsys.readouterr().out
    assert "Seeding 200 cases and 50 new customers" in out
    assert "cases/s" in out
    assert Case.objects.count() == 200
    # 50 asked for, plus the internal departments (created once)
    assert Customer.objects.count() == 50 + len(bulk.DEPARTMENTS)


def test_same_seed_gives_the_same_cases_and_references_continue(now):
    # given
    first = bulk.seed(cases=200, seed=1, now=now)
    subjects = _subjects()
    _wipe()

    # when
    second = bulk.seed(cases=200, seed=1, now=now)

    # then
    assert _subjects() == subjects
    assert len(set(subjects)) > 50  # and they are not all alike
    assert second.first_case_id == first.first_case_id + 200  # a deleted case's reference is never reused


def test_seeded_arrivals_follow_the_week_the_day_and_opening_hours(now):
    # when a month of cases is seeded
    bulk.seed(cases=3000, seed=11, now=now, days=28)

    # then live channels arrive only while open, Mondays are busier than Saturdays, nights quiet
    london = ZoneInfo("Europe/London")
    local = [(c.astimezone(london), ch) for c, ch in Case.objects.values_list("created_at", "channel")]
    kinds = {d.date(): arrivals.day_kind(d.date(), "england") for d, _ in local}
    for when, channel in local:
        assert arrivals.is_open(channel, kinds[when.date()], when.hour), (when, channel)
    by_weekday = Counter(when.weekday() for when, _ in local)
    assert by_weekday[0] > by_weekday[4] > by_weekday[5] > by_weekday[6]
    by_hour = Counter(when.hour for when, _ in local)
    assert by_hour[10] > 5 * by_hour[3]
    assert {ch for _, ch in local} == set(Channel)
    # and references still follow time
    times = list(Case.objects.order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)


def test_a_different_seed_gives_different_cases(now):
    bulk.seed(cases=100, seed=1, now=now)
    subjects = _subjects()
    _wipe()

    bulk.seed(cases=100, seed=2, now=now)

    assert _subjects() != subjects


def test_seeding_adds_to_what_is_there(now):
    # given
    bulk.seed(cases=100, seed=1, now=now)
    before = bulk.counts()

    # when
    result = bulk.seed(cases=50, seed=2, now=now, customers=0)

    # then
    after = bulk.counts()
    assert after["cases"] == before["cases"] + 50
    assert after["customers"] == before["customers"]  # customers=0: the cases go to existing customers
    assert after["users"] == before["users"]  # the staff pool is reused
    assert result.first_case_id == Case.objects.order_by("id").values_list("id", flat=True)[100]


@pytest.mark.parametrize("batch", [7, 5000])
def test_counts_and_shape_of_seeded_cases(now, batch):
    # when
    result = bulk.seed(cases=120, seed=3, now=now, batch=batch)

    # then every row the result reports is there
    assert Case.objects.count() == result.cases == 120
    assert Message.objects.count() == result.messages
    assert CaseEvent.objects.count() == result.events
    assert SearchDocument.objects.count() == result.documents == result.cases + result.messages + result.customers
    per_case = Case.objects.annotate(n=Count("messages")).values_list("n", flat=True)
    assert set(per_case) <= {2, 3, 4}
    assert Message.objects.filter(kind="note").exists()
    assert Case.tags.through.objects.count() == result.tags > 0
    # and each case reads like the services wrote it
    assert CaseEvent.objects.filter(kind="created").count() == 120
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not Case.objects.filter(updated_at__lt=F("created_at")).exists()
    assert not Case.objects.filter(status=Status.RESOLVED, resolved_at__isnull=True).exists()
    assert not Case.objects.filter(status=Status.CLOSED, closed_at__isnull=True).exists()
    assert not Case.objects.exclude(status=Status.NEW).filter(owner__isnull=True).exists()
    assert (
        not Case.objects.filter(status=Status.NEW, owner__isnull=False)
        .exclude(channel__in=[Channel.PHONE, Channel.FACE_TO_FACE])
        .exists()
    )
    answered = Q(messages__kind="outbound") | Q(channel__in=[Channel.PHONE, Channel.FACE_TO_FACE])
    assert set(Case.objects.filter(answered).values_list("id", flat=True)) == set(
        Case.objects.filter(first_response_at__isnull=False).values_list("id", flat=True)
    )


def test_search_finds_a_seeded_case_for_a_manager(manager, now):
    # given
    bulk.seed(cases=150, seed=4, now=now)
    case = Case.objects.order_by("id")[75]
    body = case.messages.order_by("id").first().body
    words = re.findall(r"[A-Za-z]{5,}", case.subject)

    # when
    by_subject = search(manager, " ".join(words), limit=500)
    by_message = search(manager, body[:60], limit=500)

    # then
    assert case.pk in {hit.case_id for hit in by_subject if hit.kind == "case"}
    assert case.pk in {hit.case_id for hit in by_message if hit.kind == "message"}


def _secondary_indexes() -> list[tuple[str, str]]:
    """Every index and trigger in the database, with its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')")
        return sorted(cursor.fetchall())


def test_the_fast_path_rebuilds_indexes_and_search_as_they_were(manager, now):
    # given a database that already has searchable cases
    bulk.seed(cases=30, seed=5, now=now)
    indexes = _secondary_indexes()
    assert indexes
    old = Case.objects.order_by("id").first()

    # when a big load drops and rebuilds the indexes
    bulk.seed(cases=40, seed=6, now=now, fast_index=True)

    # then the indexes are back exactly as they were, and old and new cases are found
    assert _secondary_indexes() == indexes
    new = Case.objects.order_by("-id").first()
    for case in (old, new):
        assert case.pk in {h.case_id for h in search(manager, case.subject, limit=500) if h.kind == "case"}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cases_%' ORDER BY name"
            )
            triggers = [row[0] for row in cursor.fetchall()]
        assert triggers == [f"cases_searchdocument_fts_{suffix}" for suffix in ("ad", "ai", "au")]
        # and rows written later by the services are indexed again by the triggers
        from rapport.cases.services import message_add

        message_add(actor=manager, reference=new.reference, kind="note", body="zebracrossing survey", now=now)
        assert search(manager, "zebracrossing")


def test_the_fast_path_puts_indexes_back_when_seeding_fails(now, monkeypatch):
    # given
    bulk.seed(cases=10, seed=7, now=now)
    indexes = _secondary_indexes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk.CaseRows, "add", broken)

    # when
    with pytest.raises(RuntimeError):
        bulk.seed(cases=10, seed=8, now=now, fast_index=True)

    # then
    assert _secondary_indexes() == indexes
    assert Case.objects.count() == 10
    assert not bulk.interrupted_load_finish()  # nothing left half-done


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its indexes during a load")
def test_a_load_killed_half_way_is_finished_by_the_next_migrate(manager, now, capsys):
    # given a big load that dropped the indexes and triggers, and then died without unwinding
    bulk.seed(cases=20, seed=9, now=now)
    before = _secondary_indexes()
    bulk._set_aside(bulk.Writer())
    assert _secondary_indexes() != before

    # when
    assert main(["migrate"]) == 0

    # then everything is back, search included, and there is nothing left to do
    assert "Put back the indexes" in capsys.readouterr().out
    assert _secondary_indexes() == before
    case = Case.objects.order_by("id").last()
    assert case.pk in {h.case_id for h in search(manager, case.subject, limit=500) if h.kind == "case"}
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO cases_searchdocument_fts(cases_searchdocument_fts) VALUES ('integrity-check')")
    assert not bulk.interrupted_load_finish()


@pytest.mark.parametrize(("cases", "customers"), [(-1, None), (10, -1)])
def test_bad_numbers_are_refused(cases, customers, now):
    with pytest.raises(ValueError, match="0 or more"):
        bulk.seed(cases=cases, customers=customers, seed=1, now=now)
    assert Case.objects.count() == 0


def test_negative_cases_on_the_command_line_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["seed", "--cases", "-5"])
    assert exit_.value.code == 2
    assert "expected 0 or more" in capsys.readouterr().err


# --- the bulk rows are what the services would have written ---------------------------------------

CHANNELS = [Channel.EMAIL, Channel.PHONE]


def _normalised(events):
    """(kind, field, before, after) with the parts that differ by id or clock second blanked."""
    out = []
    for kind, field, before, after in events:
        if kind == "changed" and field == "tags":
            continue  # a logged call is tagged after it is logged; bulk rows carry the tags from the start
        if kind in {"message", "note"}:
            after = after.split("#")[0]
        if kind in {"created", "first_response"}:
            after = ""
        out.append((kind, field, before, after))
    return out


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("messages", [2, 4])
def test_bulk_rows_match_what_the_services_write(status, channel, messages, agent, team_leader, manager, customer, now):
    # given a plan for a front-line case
    rng = random.Random(f"{status}{channel}{messages}")
    scenario = SCENARIOS_BY_KEY["kettle"]
    slots = Pools.build(1).slots(rng, scenario, first="Alice", agent="Agent", created_at=int(now.timestamp()))
    start = int(now.timestamp()) - 20 * plans.DAY
    plan = plans.plan_case(
        rng,
        scenario,
        slots,
        channel=channel,
        status=status,
        messages=messages,
        created_at=start,
        now=int(now.timestamp()),
    )

    # when it is played through the services
    desk = _Desk(admin=manager, manager=manager, agents={FRONT_LINE: [agent]}, leaders={FRONT_LINE: team_leader})
    _play(plan, customer=customer, worker=agent, desk=desk, portal_user=None, untriaged=False)
    case = Case.objects.get()
    service_events = list(case.events.order_by("at", "id").values_list("kind", "field", "before", "after"))

    # and turned into bulk rows
    rows = bulk.CaseRows(bulk.Writer())
    final = rows.add(
        plan,
        case_id=case.pk,
        message_ids=count(1),
        customer_id=customer.pk,
        team_id=case.team_id,
        worker=StaffMember(agent.pk, agent.name),
        leader=StaffMember(team_leader.pk, team_leader.name),
        tag_ids=dict.fromkeys(plan.tags, 1),
    )

    # then both tell the same story
    assert final == case.status == plan.status
    assert _normalised(service_events) == _normalised([e[3:] for e in rows.events])
    assert [m[2] for m in rows.messages] == list(case.messages.order_by("id").values_list("kind", flat=True))
    bulk_case = rows.cases[0]
    retagged = sum(1 for kind, field, *_ in service_events if (kind, field) == ("changed", "tags"))
    assert bulk_case[14] == case.version - retagged
    assert (bulk_case[11] is None) == (case.first_response_at is None)
    assert (bulk_case[12] is None) == (case.resolved_at is None)
    assert (bulk_case[13] is None) == (case.closed_at is None)
    assert bulk_case[7] == case.owner_id


def test_plans_end_where_they_say_for_any_draw():
    # A property over many random plans: replaying the steps reaches the planned status, times never
    # go backwards or past now, and there are as many messages as asked for.
    rng = random.Random(11)
    pools = Pools.build(11)
    now = 1_800_000_000
    rows = bulk.CaseRows(bulk.Writer())
    worker = StaffMember(1, "Ann Agent")
    for number in range(1, 600):
        scenario = rng.choice(SCENARIOS)
        created = now - rng.randrange(0, 30 * plans.DAY)
        plan = plans.plan_case(
            rng,
            scenario,
            pools.slots(rng, scenario, first="Sam", agent="Ann", created_at=created),
            channel=plans.draw_channel(rng, internal=False),
            status=rng.choice(list(Status)),
            messages=rng.choice((2, 3, 4)),
            created_at=created,
            now=now,
        )
        times = [plan.created_at] + [step.at for step in plan.steps]
        assert times == sorted(times)
        assert times[-1] <= now
        messages_before = len(rows.messages)
        final = rows.add(
            plan,
            case_id=number,
            message_ids=count(10 * number),
            customer_id=1,
            team_id=1,
            worker=worker,
            leader=worker,
            tag_ids=dict.fromkeys(plan.tags, 1),
        )
        assert final == plan.status
        assert 2 <= len(rows.messages) - messages_before <= 4
