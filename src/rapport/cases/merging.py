"""Merging cases of one customer into one (docs/merge.md, ADR 0018).

The target keeps its reference; the messages (with their attachments), events and tags of the
cases merged into it move to it, and each of those becomes a closed pointer (``merged_into``) whose
reference, links and email thread lead to the target. What capabilities hold about the cases (SLA
clocks, a complaint's or data request's record and statutory deadline, mail threading) is moved by
their own ``extensions.case_merge_handlers``; whether a merge needs a manager, by their
``extensions.merge_guards``. All or nothing: every case through the gate at the version the agent
read, or nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal, search
from rapport.cases.models import Attachment, Case, CaseEvent, Message, MessageKind, SearchDocument
from rapport.cases.services import message_add
from rapport.domain.case_merge import NO_SOURCES, MergeCase, cc_join, cc_split, merge_refusals, stale
from rapport.domain.case_rules import Status
from rapport.domain.references import format_reference, parse_reference
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound

MERGE_CONFLICT = (
    "One or more of these cases changed since you opened them. Nothing was merged: review them and try again."
)
TARGET_ENDED = "This case is {status}: re-open it before merging other cases into it."
NO_SUCH_CASE = "No case with the reference {reference}."


@dataclass(frozen=True)
class MergeResult:
    target: Case
    merged: list[Case]
    messages: int
    events: int
    notified: Message | None


def _facts(case: Case) -> MergeCase:
    into = format_reference(case.merged_into_id) if case.merged_into_id else ""
    return MergeCase(case.pk, case.reference, case.customer_id, into)


def _references(values: Sequence[str]) -> list[str]:
    """Each case once, as its canonical reference; an unreadable one is a field error."""
    found: list[str] = []
    for value in values:
        number = parse_reference(str(value))
        if number is None:
            raise FieldError(cases=NO_SUCH_CASE.format(reference=str(value)[:40]))
        reference = format_reference(number)
        if reference not in found:
            found.append(reference)
    return found


def merge_offered(target: Case, others: Sequence[Case]) -> bool:
    """Whether the case page offers "Merge…": an open case that is not a pointer itself, with at
    least one other open, unmerged case of the same customer to merge into it."""
    return not target.merged_into_id and target.is_active and any(c.is_active and not c.merged_into_id for c in others)


def merge_problems(actor: User, target: Case, sources: Sequence[Case]) -> list[str]:
    """Why these cases may not be merged: the core's rules, then every capability's guard."""
    reasons = merge_refusals(_facts(target), [_facts(s) for s in sources])
    if target.status in {Status.RESOLVED, Status.CLOSED} and not target.merged_into_id:
        reasons.append(TARGET_ENDED.format(status=target.get_status_display().lower()))
    if not reasons:
        reasons = extensions.merge_refusals(actor, target, sources)
    return reasons


def cases_merge(
    *,
    actor: User,
    target_reference: str,
    references: Sequence[str],
    versions: Mapping[str, int | None],
    notify: bool = False,
    now: datetime | None = None,
) -> MergeResult:
    """Merge the cases ``references`` into the case ``target_reference``.

    ``versions`` holds the version the actor read of every case, the target's included: if any has
    moved on, ``Conflict`` carries them all as they are now and nothing is written. A guard's
    refusal (a rule only a manager may pass) is ``Forbidden`` naming the rule."""
    now = now or timezone.now()
    policy.require_staff(actor)
    refs = _references(references)
    target_number = parse_reference(target_reference)
    if target_number is None:
        raise NotFound(policy.NO_CASE)
    if not refs:
        raise FieldError(cases=NO_SOURCES)
    read = {_canonical(ref): v for ref, v in versions.items()}
    with transaction.atomic():
        # Locked in one order (by number) whoever merges what, so two merges never deadlock.
        numbers = sorted({parse_reference(r) or 0 for r in refs} | {target_number})
        locked = {n: policy.access_case(actor, n, for_update=True) for n in numbers}
        target = locked[target_number]
        sources = [locked[parse_reference(r) or 0] for r in refs]
        for case in locked.values():
            policy.require_work(actor, case)
        reasons = merge_refusals(_facts(target), [_facts(s) for s in sources])
        if target.status in {Status.RESOLVED, Status.CLOSED}:
            reasons.append(TARGET_ENDED.format(status=target.get_status_display().lower()))
        if reasons:
            raise FieldError({"cases": reasons})
        current = {c.reference: c.version for c in locked.values()}
        if stale(read, current):
            raise Conflict(MERGE_CONFLICT, current=[target, *sources])
        refusals = extensions.merge_refusals(actor, target, sources)
        if refusals:
            raise Forbidden(" ".join(refusals))
        result = _move(actor, target, sources, now)
        notified = _notify(actor, target, sources, now) if notify else None
    return MergeResult(target, sources, result[0], result[1], notified)


def _canonical(reference: str) -> str:
    number = parse_reference(str(reference))
    return format_reference(number) if number is not None else str(reference)


def _move(actor: User, target: Case, sources: Sequence[Case], now: datetime) -> tuple[int, int]:
    ids = [s.pk for s in sources]
    # Messages keep their own times, so the target's timeline reads in the order things happened.
    moved_messages = Message.objects.filter(case_id__in=ids).update(case=target)
    moved_events = CaseEvent.objects.filter(case_id__in=ids).update(case=target)
    SearchDocument.objects.filter(kind="message", case_id__in=ids).update(case=target, title=target.subject[:200])
    entries: list[journal.Entry] = []
    before_tags = sorted(target.tags.values_list("name", flat=True))
    target.tags.add(*{t for s in sources for t in s.tags.all()})
    after_tags = sorted(target.tags.values_list("name", flat=True))
    if after_tags != before_tags:
        entries.append(
            journal.Entry(
                target, journal.CHANGED.name, now, actor, "tags", ", ".join(before_tags), ", ".join(after_tags)
            )
        )
    cc = _cc_union(target, sources)
    if cc != target.cc:
        entries.append(journal.Entry(target, journal.CC_CHANGED.name, now, actor, "cc", target.cc, cc))
        target.cc = cc
    # Each capability moves or reconciles what it holds (clocks, a complaint, mail threads) while
    # the sources still say what they were.
    for hook in extensions.case_merge_handlers:
        hook(target, sources, actor, now)
    for source in sources:
        if source.status != Status.CLOSED:
            entries.append(
                journal.Entry(source, journal.CHANGED.name, now, actor, "status", source.status, Status.CLOSED)
            )
        entries.append(journal.Entry(source, journal.MERGED_INTO.name, now, actor, after=target.reference))
        source.status = Status.CLOSED.value
        source.closed_at = source.closed_at or now
        source.merged_into = target
        source.next_breach_at = None
        source.version += 1
        source.updated_at = now
    Case.objects.bulk_update(sources, ["status", "closed_at", "merged_into", "next_breach_at", "version", "updated_at"])
    entries.append(
        journal.Entry(target, journal.MERGED.name, now, actor, after=", ".join(s.reference for s in sources))
    )
    target.version += 1
    target.updated_at = now
    target.save(update_fields=["cc", "version", "updated_at"])
    journal.record_many(entries)
    search.index([search.case_document(target)])
    return moved_messages, moved_events


def _cc_union(target: Case, sources: Sequence[Case]) -> str:
    seen: list[str] = []
    for case in (target, *sources):
        for address in cc_split(case.cc):
            if address not in seen:
                seen.append(address)
    return cc_join(seen)


def _notify(actor: User, target: Case, sources: Sequence[Case], now: datetime) -> Message:
    """Tell the customer, as a reply on the target: it goes by the normal outbound path, so their
    contact permissions and reasonable adjustments apply as to any reply."""
    body = _(
        "We have combined your cases {merged} into case {target}, so that everything about this is in "
        "one place. Please reply to case {target} from now on; your earlier messages are all there."
    ).format(merged=", ".join(s.reference for s in sources), target=target.reference)
    message = message_add(actor=actor, reference=target.reference, kind=MessageKind.OUTBOUND, body=body, now=now)
    target.refresh_from_db()
    return message


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeRow:
    """One case in a merge preview: what would move from it."""

    case: Case
    messages: int
    attachments: int
    tags: list[str]


@dataclass(frozen=True)
class MergePreview:
    target: Case
    rows: list[MergeRow]
    problems: list[str]

    @property
    def messages(self) -> int:
        return sum(r.messages for r in self.rows)

    @property
    def attachments(self) -> int:
        return sum(r.attachments for r in self.rows)


def merge_candidates(actor: User, target: Case, *, limit: int = 20) -> list[Case]:
    """The customer's other open cases the actor may see, that could be merged into ``target``."""
    return list(
        policy.visible_cases(actor)
        .filter(customer_id=target.customer_id, is_active=True, merged_into__isnull=True)
        .exclude(pk=target.pk)
        .only("id", "subject", "status", "version", "created_at", "customer_id")
        .order_by("-created_at", "-id")[:limit]
    )


def merge_preview(actor: User, target_reference: str, references: Sequence[str]) -> MergePreview:
    """What merging ``references`` into the target would move, and why it may not happen: a fixed
    number of queries however many cases are chosen."""
    target = policy.access_case(actor, target_reference, why="merge preview")
    refs = _references(references)
    numbers = [n for r in refs if (n := parse_reference(r)) is not None]
    messages = Message.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk")).values("n")
    files = (
        Attachment.objects.filter(message__case=OuterRef("pk"))
        .order_by()
        .values("message__case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = {
        c.pk: c
        for c in policy.visible_cases(actor)
        .filter(pk__in=numbers)
        .annotate(message_count=Coalesce(Subquery(messages), 0), attachment_count=Coalesce(Subquery(files), 0))
        .prefetch_related("tags")
    }
    missing = [format_reference(n) for n in numbers if n not in found]
    sources = [found[n] for n in numbers if n in found]
    policy.accessed(actor, {c.customer_id for c in sources}, what="merge preview", why="merge preview")
    rows = [MergeRow(c, c.message_count, c.attachment_count, sorted(t.name for t in c.tags.all())) for c in sources]
    problems = [NO_SUCH_CASE.format(reference=r) for r in missing] + merge_problems(actor, target, sources)
    return MergePreview(target, rows, problems)
