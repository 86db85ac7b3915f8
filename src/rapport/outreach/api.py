"""/api/v1/outreach: proactive messages to a segment of customers (staff read; team leaders and
managers draft, preview and send; managers alone send marketing)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.outreach import access as policy
from rapport.outreach import selectors, services
from rapport.outreach.models import Outreach, OutreachState, Recipient
from rapport.platform.errors import Conflict, Forbidden, NotFound
from rapport.platform.pagination import Keyset, page_size

router = Router(tags=["outreach"])
ORDER = Keyset((("created_at", datetime, True), ("id", int, True)))
RECIPIENT_ORDER = Keyset((("id", int, False),))
NOT_SENDING_YET = "This send is still a draft: preview it, then send it."


class OutreachSegmentIn(Schema):
    open_case_tag: str = Field("", max_length=50, description="Customers with an open case with this tag")
    open_case_type: str = Field("", max_length=30, description="Customers with an open case of this type")
    customer_ids: list[int] | None = Field(None, max_length=5000, description="Customers by id")
    group: str = Field("", max_length=20, description="internal or external")
    tier: str = Field("", max_length=30, description="A loyalty tier")
    team_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Customers with a case in this team")
    resolved_from: date | None = Field(None, description="A case resolved on or after")
    resolved_to: date | None = Field(None, description="A case resolved on or before")

    def criteria(self) -> dict[str, object]:
        plain = self.dict()
        for name in ("resolved_from", "resolved_to"):
            plain[name] = plain[name].isoformat() if plain[name] else None
        return {k: v for k, v in plain.items() if v not in (None, "", [])}


class OutreachIn(Schema):
    title: str = Field(max_length=200)
    purpose: str = Field("service", description="service (legitimate interests) or marketing (consent)")
    subject: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    easy_read_body: str = Field("", max_length=20000)
    segment: OutreachSegmentIn


class OutreachOut(Schema):
    id: int
    title: str
    purpose: str
    basis: str
    subject: str
    body: str
    easy_read_body: str
    segment: dict[str, object]
    segment_label: str
    origin: str
    reason: str
    state: str
    total: int
    done: int
    progress: float = Field(description="Share of the group dealt with, 0 to 1")
    sent: int
    by_hand: int
    skipped: dict[str, int]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class OutreachPage(Schema):
    items: list[OutreachOut]
    next_cursor: str | None


class OutreachSkippedOut(Schema):
    customer: int
    name: str
    reason: str
    label: str


class OutreachSkipCountOut(Schema):
    reason: str
    label: str
    count: int


class OutreachPreviewOut(Schema):
    matched: int
    to_send: int
    by_email: int
    by_hand: int
    skipped: list[OutreachSkipCountOut]
    skipped_customers: list[OutreachSkippedOut]
    formats: dict[str, int]


class OutreachRecipientOut(Schema):
    id: int
    customer: int
    state: str
    channel: str
    formats: list[str]
    skip_reason: str
    at: datetime


class OutreachRecipientPage(Schema):
    items: list[OutreachRecipientOut]
    next_cursor: str | None


class OutreachPageIn(Schema):
    cursor: str | None = Field(None, max_length=500)
    limit: int | None = Field(None, ge=1, le=200)


def _out(o: Outreach) -> OutreachOut:
    from rapport.domain.outreach import progress

    return OutreachOut(
        id=o.pk,
        title=o.title,
        purpose=o.purpose,
        basis=o.basis,
        subject=o.subject,
        body=o.body,
        easy_read_body=o.easy_read_body,
        segment=o.segment,
        segment_label=o.segment_label,
        origin=o.origin,
        reason=o.reason,
        state=o.state,
        total=o.total,
        done=o.done,
        progress=progress(o.done, o.total),
        sent=o.sent,
        by_hand=o.by_hand,
        skipped=o.skipped or {},
        created_at=o.created_at,
        started_at=o.started_at,
        finished_at=o.finished_at,
    )


def _get(outreach_id: int) -> Outreach:
    found = Outreach.objects.filter(pk=outreach_id).first() if 1 <= outreach_id < 2**63 else None
    if found is None:
        raise NotFound(services.NO_OUTREACH)
    return found


@router.get("", response={200: OutreachPage, **ERRORS}, summary="Proactive sends, newest first")
def outreach_list(request: HttpRequest, query: Query[OutreachPageIn]) -> OutreachPage:
    """Proactive sends with their basis, segment, state and progress (every member of staff reads them)."""
    require_staff(actor(request))
    page = ORDER.paginate(selectors.outreaches(), cursor=query.cursor, size=page_size(query.limit, default=50))
    return OutreachPage(items=[_out(o) for o in page.items], next_cursor=page.next_cursor)


@router.post("", response={201: OutreachOut, **ERRORS}, summary="Draft a proactive message")
def outreach_create(request: HttpRequest, payload: OutreachIn) -> Status[OutreachOut]:
    """Draft a message to a segment; nothing is sent until ``/send``. Team leaders and managers."""
    me = require_staff(actor(request))
    outreach = services.outreach_draft(
        actor=me,
        title=payload.title,
        purpose=payload.purpose,
        subject=payload.subject,
        body=payload.body,
        easy_read_body=payload.easy_read_body,
        segment=payload.segment.criteria(),
        now=timezone.now(),
    )
    return Status(201, _out(outreach))


@router.get("/{outreach_id}", response={200: OutreachOut, **ERRORS}, summary="One proactive send")
def outreach_get(request: HttpRequest, outreach_id: int) -> OutreachOut:
    """One send: its message, lawful basis, segment, state, and how far sending has got."""
    require_staff(actor(request))
    return _out(_get(outreach_id))


@router.get("/{outreach_id}/preview", response={200: OutreachPreviewOut, **ERRORS}, summary="Who a draft would reach")
def outreach_preview(request: HttpRequest, outreach_id: int) -> OutreachPreviewOut:
    """How many customers the draft reaches now, by email or by hand, who is skipped and why (some by
    name), and the formats their reasonable adjustments ask for."""
    me = require_staff(actor(request))
    outreach = _get(outreach_id)
    if not policy.can_send(me, outreach.purpose):
        raise Forbidden(services.NOT_A_SENDER)
    if outreach.state != OutreachState.DRAFT:
        raise Conflict(services.NOT_A_DRAFT)
    found = selectors.preview(me, outreach)
    return OutreachPreviewOut(
        matched=found.matched,
        to_send=found.to_send,
        by_email=found.by_email,
        by_hand=found.by_hand,
        skipped=[OutreachSkipCountOut(reason=r, label=label, count=n) for r, label, n in found.skipped],
        skipped_customers=[
            OutreachSkippedOut(customer=c.customer_id, name=c.name, reason=c.reason, label=c.label)
            for c in found.skipped_customers
        ],
        formats=dict(found.formats),
    )


@router.post("/{outreach_id}/send", response={202: OutreachOut, **ERRORS}, summary="Send a draft")
def outreach_send(request: HttpRequest, outreach_id: int) -> Status[OutreachOut]:
    """Start sending: a job works through the group in batches; read ``progress`` to follow it."""
    me = require_staff(actor(request))
    outreach = services.outreach_send(actor=me, outreach_id=outreach_id, now=timezone.now())
    outreach.refresh_from_db()
    return Status(202, _out(outreach))


@router.get("/{outreach_id}/recipients", response={200: OutreachRecipientPage, **ERRORS}, summary="Who a send reached")
def outreach_recipients(request: HttpRequest, query: Query[OutreachPageIn], outreach_id: int) -> OutreachRecipientPage:
    """Each customer the send dealt with: emailed, to call or post, or skipped and why."""
    require_staff(actor(request))
    outreach = _get(outreach_id)
    rows = Recipient.objects.filter(outreach=outreach)
    page = RECIPIENT_ORDER.paginate(rows, cursor=query.cursor, size=page_size(query.limit, default=100))
    return OutreachRecipientPage(
        items=[
            OutreachRecipientOut(
                id=r.pk,
                customer=r.customer_id,
                state=r.state,
                channel=r.channel,
                formats=[f for f in r.formats.split(",") if f],
                skip_reason=r.skip_reason,
                at=r.at,
            )
            for r in page.items
        ],
        next_cursor=page.next_cursor,
    )
