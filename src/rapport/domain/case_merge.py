"""Which cases may be merged into which, and how a list of copied addresses is read.

Pure rules on plain values (no Django, no clock). The desk's own rules for merging follow what
customers and regulators expect of one conversation per issue: a case is merged only with cases of
the same customer (UK GDPR Art 5(1)(f): one person's messages never join another's record), never
into itself or into a pointer that already leads elsewhere, and every case at the version the
agent read (an optimistic check, as for any edit). What a capability adds (a complaint's statutory
deadline, a data request's) is asked of it through ``rapport.extensions.merge_guards``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

NO_SOURCES = "Choose at least one other case to merge into this one."
NOT_ITSELF = "A case cannot be merged into itself."
OTHER_CUSTOMER = "{reference} belongs to another customer: only cases of the same customer can be merged."
ALREADY_MERGED = "{reference} was already merged into {into}."
TARGET_MERGED = "This case was merged into {into}: merge into that case instead."
TOO_MANY = "Merge at most {limit} cases at once."
MAX_SOURCES = 20


@dataclass(frozen=True)
class MergeCase:
    """What the rules need to know of one case."""

    id: int
    reference: str
    customer_id: int
    merged_into: str = ""  # the reference it points to, when it is a merged pointer


def merge_refusals(target: MergeCase, sources: Sequence[MergeCase]) -> list[str]:
    """Every reason ``sources`` may not be merged into ``target`` (empty: they may)."""
    if not sources:
        return [NO_SOURCES]
    reasons: list[str] = []
    if len(sources) > MAX_SOURCES:
        reasons.append(TOO_MANY.format(limit=MAX_SOURCES))
    if target.merged_into:
        reasons.append(TARGET_MERGED.format(into=target.merged_into))
    for source in sources:
        if source.id == target.id:
            reasons.append(NOT_ITSELF)
        elif source.customer_id != target.customer_id:
            reasons.append(OTHER_CUSTOMER.format(reference=source.reference))
        elif source.merged_into:
            reasons.append(ALREADY_MERGED.format(reference=source.reference, into=source.merged_into))
    return reasons


def stale(read: Mapping[str, int | None], current: Mapping[str, int]) -> list[str]:
    """The references whose version the client read is not the current one (or was not sent)."""
    return sorted(ref for ref, version in current.items() if read.get(ref) != version)


_ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
MAX_CC = 20
BAD_ADDRESS = "{value} is not an email address."
TOO_MANY_CC = "Copy at most {limit} addresses."


def cc_split(text: str) -> list[str]:
    """The addresses in a stored or typed list (commas, semicolons, spaces or new lines)."""
    return [part for part in re.split(r"[,;\s]+", text or "") if part]


def cc_clean(values: Iterable[str], *, leave_out: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Addresses to copy, lower-cased, each once, in the order given, without ``leave_out`` (the
    customer's own address and the desk's); and the problems found (not addresses, too many)."""
    skip = {a.strip().lower() for a in leave_out if a}
    kept: list[str] = []
    problems: list[str] = []
    for value in values:
        address = value.strip().strip("<>").lower()
        if not address or address in skip or address in kept:
            continue
        if not _ADDRESS.match(address) or len(address) > 254:
            problems.append(BAD_ADDRESS.format(value=value.strip()[:60]))
            continue
        kept.append(address)
    if len(kept) > MAX_CC:
        problems.append(TOO_MANY_CC.format(limit=MAX_CC))
    return kept, problems


def cc_join(addresses: Iterable[str]) -> str:
    """How a list of copied addresses is stored: comma-separated, as an email header writes it."""
    return ", ".join(addresses)
