"""Demo learning data: the organisation's study units when their documents are present,
otherwise one short unit written for the demo; a practice question per unit, and an assessor."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from rapport.accounts.models import Role, User
from rapport.learning.models import Assessor, Unit
from rapport.learning.services import Document, answer_submit, question_create, units_import
from rapport.learning.sources import seed_documents

# A short unit in the documents' own format, used when the organisation's units are absent.
DEMO_UNIT = Path(__file__).with_name("demo_unit.txt")

SAMPLE_ANSWER = (
    "I listened to the customer's account without interrupting and showed empathy for the wasted trip. "
    "I apologised and took ownership, promising a call back by Friday. "
    "Under the Consumer Rights Act she was entitled to a repair or replacement; "
    "the £20 voucher was goodwill from our policy."
)


def seed(*, now: datetime) -> None:
    if Unit.objects.exists():
        return
    documents = seed_documents() or [
        Document(source_name=DEMO_UNIT.name, text=DEMO_UNIT.read_text(encoding="utf-8"), code="demo")
    ]
    imported = units_import(documents=documents, now=now)
    leader = User.objects.filter(role=Role.TEAM_LEADER).order_by("id").first()
    manager = User.objects.filter(role=Role.MANAGER).order_by("id").first()
    agent = User.objects.filter(role=Role.AGENT).order_by("id").first()
    if manager is not None:
        Assessor.objects.get_or_create(user=manager)
    if leader is None:
        return
    for number, item in enumerate(imported):
        question = question_create(
            actor=leader,
            unit=item.unit,
            title="A late delivery, a second complaint",
            situation=(
                "A customer's sofa arrived three weeks late and damaged. She has called twice; the second time "
                "she was told to email instead. She wants a full refund and compensation for two days off work."
            ),
            task=(
                "Explain how you would handle her complaint, what she is entitled to, and what the team should change."
            ),
            now=now - timedelta(days=10, minutes=number),
        )
        if agent is not None and number == 0:
            answer_submit(actor=agent, question=question, text=SAMPLE_ANSWER, now=now - timedelta(days=2))
