"""Reads for the privacy pages and API: open data requests, the access log, the adjustments report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import MessageKind
from rapport.customers.models import Customer, CustomerKind, PhoneDigits
from rapport.domain.anonymise import Known, Mentions
from rapport.platform.pagination import Keyset, Page, check_moment
from rapport.privacy import access as privacy_policy
from rapport.privacy.models import AccessLog, Adjustment, AdjustmentKind, Consent, DataRequest, LegalHold, RetentionRun

LOG_LIMIT = 200
# Keys per lookup query: well under SQLite's 999 bound parameters, so a long history takes
# ceil(keys / 900) queries, never one per candidate (a typical export needs one).
LOOKUP_BATCH = 900
PEOPLE = frozenset({CustomerKind.PERSON, CustomerKind.COLLEAGUE})  # a company's name is not personal data


def known_customers(found: Iterable[Mentions], *, subject: Customer) -> Known:
    """The desk's customers (people, not companies or departments, not erased) whose full name,
    email or phone appears in ``found``, other than ``subject``: one indexed query per batch of
    keys (``Lower(name)``, ``Lower(email)``, ``PhoneDigits(phone)``), never a scan of every customer."""
    keys: list[tuple[str, str]] = []
    for mention in found:
        keys.extend(("name", k) for k in mention.name_keys())
        keys.extend(("email", k) for k in mention.email_keys())
        keys.extend(("phone", k) for k in mention.phone_keys() if len(k) >= 9)
    keys = sorted(set(keys))
    names: dict[str, int] = {}
    emails: dict[str, int] = {}
    phones: dict[str, int] = {}
    who: dict[int, str] = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        batch = keys[start : start + LOOKUP_BATCH]
        wanted = {kind: [k for kind_, k in batch if kind_ == kind] for kind in ("name", "email", "phone")}
        rows = (
            Customer.objects.annotate(name_ci=Lower("name"), email_ci=Lower("email"), phone_digits=PhoneDigits("phone"))
            .filter(
                Q(name_ci__in=wanted["name"]) | Q(email_ci__in=wanted["email"]) | Q(phone_digits__in=wanted["phone"])
            )
            .order_by("id")
            .values_list("id", "kind", "erased_at", "name", "name_ci", "email_ci", "phone_digits")
        )
        # Kind, erasure and the subject are checked here, not in SQL, so the planner reads only
        # the three lookup indexes (a filter on kind would tempt it into the kind index).
        for pk, kind, erased_at, written, name, email, phone in rows:
            if pk == subject.pk or erased_at is not None or kind not in PEOPLE:
                continue
            who[pk] = written
            names.setdefault(" ".join(name.split()), pk)
            if email:
                emails.setdefault(email, pk)
            if phone:
                phones.setdefault(phone, pk)
    return Known(names=names, emails=emails, phones=phones, who=who)


def open_requests(actor: User) -> QuerySet[DataRequest]:
    """Data requests not yet completed, on cases the actor may see, oldest first."""
    return (
        DataRequest.objects.filter(completed_on__isnull=True, case__in=policy.visible_cases(actor))
        .select_related("case", "case__customer")
        .order_by("received_on", "id")
    )


def access_log_for_customer(actor: User, customer: Customer) -> list[AccessLog]:
    privacy_policy.require_audit(actor)
    return list(AccessLog.objects.filter(customer=customer).select_related("actor")[:LOG_LIMIT])


ACCESS_KEYSET = Keyset((("at", datetime, True), ("id", int, True)))


def access_log_page(
    actor: User, customer: Customer, *, since: datetime | None, cursor: str | None, size: int
) -> Page[AccessLog]:
    """The customer's access log, newest first, a page at a time (the API): every row, not the
    latest ``LOG_LIMIT`` the page shows."""
    privacy_policy.require_audit(actor)
    rows = AccessLog.objects.filter(customer=customer)
    check_moment("since", since)
    if since is not None:
        rows = rows.filter(at__gte=since)
    return ACCESS_KEYSET.paginate(rows, cursor=cursor, size=size)


def access_log_for_staff(actor: User, staff_id: int) -> tuple[User, list[AccessLog]]:
    privacy_policy.require_audit(actor)
    staff = User.objects.filter(pk=staff_id).exclude(role="customer").first()
    if staff is None:
        from rapport.platform.errors import NotFound

        raise NotFound("No member of staff with that id.")
    return staff, list(AccessLog.objects.filter(actor=staff).select_related("customer")[:LOG_LIMIT])


def consent_history(customer: Customer) -> list[Consent]:
    return list(Consent.objects.filter(customer=customer).select_related("recorded_by"))


def current_consents(history: list[Consent]) -> list[Consent]:
    """The latest answer per purpose and channel (history is newest first)."""
    seen: dict[tuple[str, str], Consent] = {}
    for consent in history:
        seen.setdefault((consent.purpose, consent.channel), consent)
    return sorted(seen.values(), key=lambda c: (c.purpose, c.channel))


def holds(customer: Customer) -> list[LegalHold]:
    return list(LegalHold.objects.filter(customer=customer).select_related("placed_by").order_by("-placed_at"))


def adjustments(customer: Customer) -> list[Adjustment]:
    return list(Adjustment.objects.filter(customer=customer).select_related("recorded_by").order_by("ended_at", "kind"))


def adjustments_report() -> list[dict[str, object]]:
    """Every adjustment with the evidence of whether it was honoured, in one query: replies sent
    since it was recorded, and how many broke it (HTML to a plain-text customer, another channel
    than the one preferred)."""
    since = Q(
        customer__cases__messages__kind=MessageKind.OUTBOUND,
        customer__cases__messages__created_at__gte=F("recorded_at"),
    )
    rows = (
        Adjustment.objects.select_related("customer")
        .annotate(
            replies=Count("customer__cases__messages", filter=since),
            html=Count("customer__cases__messages", filter=since & ~Q(customer__cases__messages__body_html="")),
            off_channel=Count(
                "customer__cases__messages", filter=since & ~Q(customer__cases__messages__channel=F("channel"))
            ),
        )
        .order_by("customer__name", "kind", "id")
    )
    return [{"adjustment": row, "replies": row.replies, **_honoured(row)} for row in rows]  # type: ignore[attr-defined,unused-ignore]


def _honoured(row: Adjustment) -> dict[str, object]:
    replies = row.replies  # type: ignore[attr-defined]
    if row.kind in {AdjustmentKind.PLAIN_TEXT, AdjustmentKind.EASY_READ}:
        broken = row.html  # type: ignore[attr-defined]
    elif row.kind == AdjustmentKind.PREFERRED_CHANNEL:
        broken = row.off_channel  # type: ignore[attr-defined]
    elif row.kind == AdjustmentKind.EXTRA_TIME:
        return {"honoured": "yes", "evidence": "Added to every SLA target by rule"}
    else:
        return {"honoured": "shown", "evidence": "Shown at the top of every case and in the queue"}
    if not replies:
        return {"honoured": "no replies yet", "evidence": "No replies since it was recorded"}
    if broken:
        return {"honoured": "no", "evidence": f"{broken} of {replies} replies did not follow it"}
    return {"honoured": "yes", "evidence": f"All {replies} replies followed it"}


def retention_runs(limit: int = 20) -> list[RetentionRun]:
    return list(RetentionRun.objects.all()[:limit])
