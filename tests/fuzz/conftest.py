"""A bounded schemathesis run over the whole OpenAPI document (``make test-api-fuzz``).

The run uses pytest-django's throw-away test database (created for the run, dropped after it),
seeded once with the small demo organisation, and answers every generated request as a manager,
an agent and a portal customer. Path parameters are drawn from what the seed made as well as
from what schemathesis invents, so requests reach real cases, customers and complaints; the
operations that erase or block a person's data only ever reach a customer made for them alone.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

SEEDED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass
class Figures:
    """What the run did, printed at its end and asserted by nothing else."""

    examples: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds_seeding: float = 0.0
    started: float = field(default_factory=time.monotonic)


FIGURES = Figures()


@dataclass(frozen=True)
class Desk:
    tokens: dict[str, str]  # role -> bearer token
    shared: dict[str, list[object]]  # path parameter -> values from the demo data
    sacrificial: dict[str, list[object]]  # the same, for the one customer destructive operations may reach


def _seed() -> Desk:
    from rapport.accounts.models import Team, User
    from rapport.accounts.services import token_create
    from rapport.cases.models import Attachment, Case
    from rapport.cases.services import case_create
    from rapport.complaints.models import ApprovalRequest, Complaint
    from rapport.customers.models import Customer
    from rapport.feedback.models import SurveyInvitation
    from rapport.feedback.services import survey_token
    from rapport.improvement.models import Initiative
    from rapport.learning.models import Answer, Question, Unit
    from rapport.plans.models import Outage, Plan
    from rapport.privacy.services import data_request_create
    from rapport.quality.models import Calibration, Review, Scorecard
    from rapport.seeding.demo import AGENT, CUSTOMER, MANAGER, seed_demo

    seed_demo(now=SEEDED_AT)
    manager = User.objects.get(email=MANAGER.email)
    agent = User.objects.get(email=AGENT.email)
    customer_user = User.objects.get(email=CUSTOMER.email)
    tokens = {role: token_create(user=user)[1] for role, user in
              (("manager", manager), ("agent", agent), ("customer", customer_user))}  # fmt: skip

    own = Customer.objects.get(user=customer_user)
    cases = [c.reference for c in Case.objects.filter(customer=own).order_by("pk")[:3]]
    cases += [c.reference for c in Case.objects.exclude(customer=own).order_by("pk")[:4]]
    cases += [c.case.reference for c in Complaint.objects.select_related("case").order_by("pk")[:3]]
    shared: dict[str, list[object]] = {
        "reference": cases,
        "customer_id": [own.pk, *Customer.objects.exclude(pk=own.pk).order_by("pk").values_list("pk", flat=True)[:3]],
        "attachment_id": list(Attachment.objects.order_by("pk").values_list("pk", flat=True)[:3]),
        "approval_id": list(ApprovalRequest.objects.order_by("pk").values_list("pk", flat=True)[:3]),
        "unit_id": list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "question_id": list(Question.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "answer_id": list(Answer.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "initiative_id": list(Initiative.objects.order_by("pk").values_list("pk", flat=True)[:3]),
        "scorecard_id": list(Scorecard.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "review_id": list(Review.objects.order_by("pk").values_list("pk", flat=True)[:4]),
        "calibration_id": list(Calibration.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "token": [survey_token(i) for i in SurveyInvitation.objects.order_by("pk")[:3]],
        "plan_id": list(Plan.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "outage_id": list(Outage.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "user_id": [manager.pk, agent.pk],
        "team_id": list(Team.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "name": ["complaints.channel", "root_cause"],
    }

    # Someone the erasure, restriction, objection and rectification calls may change for good.
    alone = Customer.objects.create(name="Robin Fuzz", email="robin.fuzz@example.com",
                                    created_at=SEEDED_AT, updated_at=SEEDED_AT)  # fmt: skip
    case = case_create(actor=agent, customer=alone, subject="Fuzz", body="A case of their own.",
                       channel="email", now=SEEDED_AT)  # fmt: skip
    requests = [
        data_request_create(actor=manager, customer=alone, kind=kind, now=SEEDED_AT).case.reference
        for kind in ("restriction", "objection", "rectification", "erasure")
    ]
    sacrificial: dict[str, list[object]] = {"customer_id": [alone.pk], "reference": [case.reference, *requests]}
    return Desk(tokens=tokens, shared={k: v for k, v in shared.items() if v}, sacrificial=sacrificial)


@pytest.fixture(autouse=True, scope="session")
def _one_connection():
    """Requests go through the WSGI handler inside each operation's transaction: as Django's own
    test client does, keep the handler from closing the connection (and the transaction) after each."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="session")
def fuzz_media(tmp_path_factory) -> str:
    """One upload folder for the whole run, so files seeded at the start can be downloaded."""
    return str(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(autouse=True)
def _media_root(settings, fuzz_media):
    settings.MEDIA_ROOT = fuzz_media


@pytest.fixture(scope="session")
def desk(django_db_setup, django_db_blocker, fuzz_media) -> Desk:
    from django.test import override_settings

    started = time.monotonic()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=fuzz_media):
        made = _seed()
    FIGURES.seconds_seeding = time.monotonic() - started
    return made


def pytest_terminal_summary(terminalreporter):
    if not FIGURES.examples:
        return
    write = terminalreporter.write_line
    write("")
    write(
        f"schemathesis: {len(FIGURES.examples)} operations, {sum(FIGURES.examples.values())} examples "
        f"({sum(FIGURES.statuses.values())} requests), 5xx: {sum(FIGURES.server_errors.values())}; "
        f"{time.monotonic() - FIGURES.started:.0f} s, {FIGURES.seconds_seeding:.0f} s of it seeding"
    )
    write("  statuses: " + ", ".join(f"{status}: {n}" for status, n in sorted(FIGURES.statuses.items())))
    for operation, count in sorted(FIGURES.server_errors.items()):
        write(f"  5xx on {operation}: {count}")
