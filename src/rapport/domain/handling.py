"""Average handling time (AHT) measured from what the desk records.

AHT is the work a contact takes, on average: ``AHT = (talk or writing time + hold + after-contact
work) / contacts handled`` (COPC CX Standard, "Average Handle Time"; ITU-T E.600 "holding time").
Rapport measures it two ways, and a planner may override either (shown with its source):

- **time tracking**: minutes agents record on each case, summed per case and averaged;
- **message timestamps**: for each reply an agent sent, the time since the message it answers
  (the customer's latest message, or the agent's own previous reply if that is later), capped
  so that a reply written the next morning does not count the night as work. The cap is the
  longest a single reply is taken to need; longer gaps count as the cap. Replies to nothing
  (the first message of a case raised by staff) are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

DEFAULT_CAP = timedelta(minutes=30)


def reply_work(messages: Sequence[tuple[datetime, bool]], *, cap: timedelta = DEFAULT_CAP) -> list[timedelta]:
    """The work behind each agent reply of one case, from its messages in time order as
    (when, sent by an agent): the time since the previous message, at most ``cap``."""
    found: list[timedelta] = []
    previous: datetime | None = None
    for at, by_agent in messages:
        if by_agent and previous is not None:
            found.append(min(max(at - previous, timedelta()), cap))
        previous = at
    return found


def average_seconds(durations: Iterable[timedelta]) -> tuple[int, int] | None:
    """(mean in whole seconds, how many), or None for none: AHT = total handling time / contacts."""
    total, count = timedelta(), 0
    for duration in durations:
        total += duration
        count += 1
    if not count:
        return None
    return round(total.total_seconds() / count), count
