"""Small-numbers disclosure control for staff survey results: which cells of a table may be shown.

A staff pulse is anonymous by design, but a result for a small group identifies people: the mean
answer of a team of two tells each of them what the other said. The rules follow the UK
statistical guidance:

* ONS, "Policy on protecting confidentiality in tables of birth and death statistics" and the
  GSS/GSR "Disclosure control guidance for tables produced from surveys" (2014/2021): cells below
  a threshold are suppressed (*primary suppression*), and further cells are suppressed so the
  hidden ones cannot be recovered by subtraction from a total (*secondary* or *complementary
  suppression*): "if a total is shown, at least two cells in that row or column must be
  suppressed, and the suppressed cells together must not themselves fall below the threshold".
* ICO, "Anonymisation, pseudonymisation and privacy enhancing technologies guidance" (2022, ch. 2,
  "small numbers"): aggregate figures about few people are personal data when a person can be
  singled out, including by differencing two published figures.

Rapport's threshold is five respondents (``MINIMUM_GROUP``), the figure seed 003's employee-voice
discussion and most UK staff-survey providers use. ``disclosed`` is the one function that decides;
pages, the API and the service-profit chain all show only what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MINIMUM_GROUP = 5
"""The fewest respondents a shown figure may rest on."""


@dataclass(frozen=True)
class Disclosure:
    """What may be shown: the group keys whose figures are shown, and whether the total is."""

    shown: frozenset[str]
    total_shown: bool
    suppressed: frozenset[str]

    def shows(self, key: str) -> bool:
        return key in self.shown


def disclosed(counts: Mapping[str, int], *, minimum: int = MINIMUM_GROUP, total: int | None = None) -> Disclosure:
    """The groups of one table (respondents by group, e.g. by team) whose figures may be shown.

    ``total`` is the count of the whole the groups add up to (the organisation; it may include
    people in no group); by default the sum of the groups. Rules, in order:

    1. Primary: a group with fewer than ``minimum`` respondents is suppressed. A group of none is
       empty, not suppressed: there is nothing to reveal.
    2. The total is shown only when it reaches ``minimum``.
    3. Secondary, while the total is shown: the suppressed groups together must reach ``minimum``
       (else "total minus the shown groups" reveals a group smaller than allowed), and a single
       suppressed group would be revealed exactly by subtraction; so the smallest shown group is
       suppressed as well, again and again, until neither holds. The people outside every group
       (``total`` minus the groups) count with the suppressed, since subtraction reaches them too.
    4. When every group ends suppressed and the hidden remainder still falls short, the total is
       suppressed as well.

    Ties between equal groups are broken by key, so the same counts always give the same table.
    """
    if any(n < 0 for n in counts.values()):
        raise ValueError("respondent counts cannot be negative")
    whole = sum(counts.values()) if total is None else total
    if whole < sum(counts.values()):
        raise ValueError("the total cannot be smaller than its groups")
    outside = whole - sum(counts.values())
    suppressed = {key for key, n in counts.items() if 0 < n < minimum}
    total_shown = whole >= minimum
    if total_shown:
        by_size = sorted((n, key) for key, n in counts.items() if n > 0 and key not in suppressed)
        while True:
            hidden = outside + sum(counts[key] for key in suppressed)
            revealing = 0 < hidden < minimum or (len(suppressed) == 1 and outside == 0)
            if not revealing:
                break
            if not by_size:
                total_shown = False
                break
            suppressed.add(by_size.pop(0)[1])
    shown = frozenset(key for key, n in counts.items() if n >= minimum and key not in suppressed)
    return Disclosure(shown=shown, total_shown=total_shown, suppressed=frozenset(suppressed))
