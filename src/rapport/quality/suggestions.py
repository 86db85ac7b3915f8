"""The language assistant's suggestions on the scorecard: what ``rapport.domain.language`` finds in
the agent's replies (negative phrasing, blame, jargon, no ownership, no next step, no empathy on a
complaint), offered to the reviewer beside the behaviours, never scored automatically.

The module is another piece of work; until it is installed this offers nothing (the seam is
``for_messages``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapport.cases.models import Message, MessageKind

# Which behaviour each finding bears on.
BEHAVIOUR_FOR = {
    "negative_phrasing": "positive_language",
    "blame": "positive_language",
    "jargon": "tone",
    "no_ownership": "ownership",
    "no_next_step": "next_steps",
    "no_empathy": "empathy",
}


@dataclass(frozen=True)
class Suggestion:
    message_id: int
    code: str
    behaviour: str
    passage: str
    explanation: str
    rewording: str


def _reviewer() -> Callable[..., Sequence[Any]] | None:
    try:
        module = importlib.import_module("rapport.domain.language")
    except ImportError:
        return None
    found = getattr(module, "review", None)
    return found if callable(found) else None


def for_messages(messages: Sequence[Message], *, complaint: bool = False) -> list[Suggestion]:
    """The assistant's findings in the agent's outbound replies among ``messages``."""
    review = _reviewer()
    if review is None:
        return []
    found: list[Suggestion] = []
    for message in messages:
        if message.kind != MessageKind.OUTBOUND:
            continue
        for finding in review(message.body, complaint=complaint):
            code = str(getattr(finding, "code", ""))
            start, end = int(getattr(finding, "start", 0)), int(getattr(finding, "end", 0))
            found.append(
                Suggestion(
                    message_id=message.pk,
                    code=code,
                    behaviour=BEHAVIOUR_FOR.get(code, ""),
                    passage=message.body[start:end],
                    explanation=str(getattr(finding, "explanation", "")),
                    rewording=str(getattr(finding, "suggestion", "") or getattr(finding, "rewording", "") or ""),
                )
            )
    return found
