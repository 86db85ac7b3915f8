"""The language assistant's suggestions on the scorecard: what ``rapport.domain.language`` finds in
the agent's replies (negative phrasing, blame, jargon, no ownership, no next step, no empathy on a
complaint), offered to the reviewer beside the behaviour each bears on — hints to weigh, never a
score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapport.cases.models import Message, MessageKind
from rapport.domain import language

# Which default behaviour each finding bears on.
BEHAVIOUR_FOR = {
    language.NEGATIVE_PHRASING: "positive_language",
    language.BLAME: "positive_language",
    language.JARGON: "tone",
    language.NO_OWNERSHIP: "ownership",
    language.NO_NEXT_STEP: "next_steps",
    language.NO_EMPATHY: "empathy",
}


@dataclass(frozen=True)
class Suggestion:
    message_id: int
    code: str
    label: str
    behaviour: str
    passage: str
    explanation: str
    rewording: str


def for_messages(messages: Sequence[Message], *, complaint: bool = False) -> list[Suggestion]:
    """The assistant's findings in the agent's replies among ``messages`` (the customer's own words
    are never checked)."""
    found: list[Suggestion] = []
    for message in messages:
        if message.kind != MessageKind.OUTBOUND:
            continue
        found.extend(
            Suggestion(
                message_id=message.pk,
                code=finding.code,
                label=finding.label,
                behaviour=BEHAVIOUR_FOR.get(finding.code, ""),
                passage=message.body[finding.start : finding.end],
                explanation=finding.explanation,
                rewording=finding.suggestion,
            )
            for finding in language.review(message.body, complaint=complaint)
        )
    return found
