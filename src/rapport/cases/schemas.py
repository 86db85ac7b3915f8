"""What the API says about cases, messages and their timeline, and what it accepts.

Choices are spelt out as enums in the OpenAPI document (a test holds them to ``rapport.domain``);
the services still check every value, so a client that skips the schema gets the same answer.
Staff-only detail (tags, the timeline) is decided by the permission policy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator, ConfigDict

from rapport import access as policy
from rapport.accounts.api import ErrorOut
from rapport.domain.case_merge import cc_split
from rapport.domain.case_rules import Priority
from rapport.domain.references import format_reference
from rapport.platform.html import sanitise_html

# The choices, spelt out for the spec and for type checkers; tests/api/test_schemas.py proves they
# match the domain enums, so they cannot drift.
CaseTypeName = Literal["enquiry", "request", "complaint", "internal_request", "data_request"]
StatusName = Literal["new", "open", "waiting_on_customer", "waiting_on_third_party", "resolved", "closed"]
PriorityLabel = Literal["low", "normal", "high", "urgent"]
ChannelName = Literal["email", "portal", "phone", "face_to_face", "chat", "letter"]
MessageKindName = Literal["inbound", "outbound", "note"]
QueueName = Literal["mine", "team", "unassigned", "breaching", "all"]
SortName = Literal["updated", "oldest", "created", "priority", "breach"]


def _blank_is_none(value: Any) -> Any:
    # An empty form field means "not given", as it does in the pages.
    return None if value == "" else value


def _words(value: Any) -> Any:
    # Forms send tags as one comma-separated field or the field repeated; JSON sends a list.
    return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


# Ids are bounded to what the database holds (bigint), so an absurd id is a 422, not an overflow.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
OptionalId = Annotated[RowId | None, BeforeValidator(_blank_is_none)]
Tags = Annotated[list[str], BeforeValidator(_words)]


def _sees_internal(context: Any) -> bool:
    request: HttpRequest | None = (context or {}).get("request")
    return request is not None and policy.can_see_internal(getattr(request, "auth", None) or request.user)


# --- out -------------------------------------------------------------------------------------------


class CustomerRef(Schema):
    id: int
    name: str
    internal: bool

    @staticmethod
    def resolve_internal(obj: Any) -> bool:
        return bool(obj.is_internal)


class UserRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str


class CaseOut(Schema):
    """A case as the desk sees it (staff)."""

    audience: Literal["staff"] = Field("staff", description="Which view of the case this is.")
    reference: str
    subject: str
    type: CaseTypeName
    status: StatusName
    priority: PriorityLabel
    channel: ChannelName
    customer: CustomerRef
    owner: UserRef | None
    team: TeamRef | None
    tags: list[str] = Field(description="Staff only: empty for customers.")
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    next_breach_at: datetime | None = Field(
        description="When the case's soonest running SLA target passes (past once breached); "
        "null when no target runs. Details at /api/v1/sla/cases/{reference}."
    )
    version: int = Field(description="Send it back (or as If-Match) when you change the case.")
    url: str
    merged_into: str | None = Field(
        None, description="The reference of the case this one was merged into (then it is a closed pointer)."
    )
    cc: list[str] = Field(default_factory=list, description="Addresses copied on replies to the customer.")

    @staticmethod
    def resolve_priority(obj: Any) -> str:
        return Priority(obj.priority).label

    @staticmethod
    def resolve_merged_into(obj: Any) -> str | None:
        return format_reference(obj.merged_into_id) if obj.merged_into_id else None

    @staticmethod
    def resolve_cc(obj: Any) -> list[str]:
        return cc_split(obj.cc)

    @staticmethod
    def resolve_tags(obj: Any, context: Any) -> list[str]:
        # Tags are the desk's own labels ("vip", "chargeback"): not the customer's business.
        return [tag.name for tag in obj.tags.all()] if _sees_internal(context) else []

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/cases/{obj.reference}/"


class CustomerCaseOut(Schema):
    """A case as its customer sees it: exactly the fields ``rapport.access.CUSTOMER_CASE_FIELDS``
    allows (a test holds the two together), built from that allow-list rather than from the staff
    view with fields left out, so a field added for staff never reaches customers by accident."""

    audience: Literal["customer"] = Field("customer", description="Which view of the case this is.")
    reference: str
    subject: str
    type: CaseTypeName
    status: StatusName
    channel: ChannelName
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    url: str = Field(description="The case in the customer portal.")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/portal/cases/{obj.reference}/"


CaseView = Annotated[CaseOut | CustomerCaseOut, Field(discriminator="audience")]
"""One case: the staff view or the customer view, as the permission policy decides (``audience``)."""


class CasePage(Schema):
    audience: Literal["staff"] = "staff"
    items: list[CaseOut]
    next_cursor: str | None


class CustomerCasePage(Schema):
    audience: Literal["customer"] = "customer"
    items: list[CustomerCaseOut]
    next_cursor: str | None


CasePageView = Annotated[CasePage | CustomerCasePage, Field(discriminator="audience")]


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str
    preview_state: str = Field(description="pending (the worker will draw it), ready, or none (no preview)")
    preview_url: str | None = Field(description="A small WebP picture of the file (an image, a PDF's first page)")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/attachments/{obj.pk}"

    @staticmethod
    def resolve_preview_url(obj: Any) -> str | None:
        return f"/api/v1/attachments/{obj.pk}/preview" if obj.preview_state == "ready" else None


class MessageOut(Schema):
    id: int
    kind: MessageKindName
    channel: ChannelName
    author: str | None = Field(description="The author's name; null when the author's account is gone.")
    body: str
    body_html: str = Field(description="Sanitised HTML, when the message came with HTML or Markdown; else empty.")
    format: Literal["text", "markdown"] = Field(description="How ``body`` is written: plain text or Markdown.")
    created_at: datetime
    attachments: list[AttachmentOut]
    cc: list[str] = Field(default_factory=list, description="Who else the email came from or went to (CC).")

    @staticmethod
    def resolve_cc(obj: Any) -> list[str]:
        return cc_split(obj.cc)

    @staticmethod
    def resolve_format(obj: Any) -> str:
        return str(obj.body_format)

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.name if obj.author_id else None

    @staticmethod
    def resolve_body_html(obj: Any) -> str:
        # Stored sanitised; sanitised again on the way out in case the allow-list has tightened.
        return sanitise_html(obj.body_html) if obj.body_html else ""


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    at: datetime
    kind: str
    field: str
    before: str
    after: str
    actor: UserRef | None


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class SearchHitOut(Schema):
    kind: Literal["case", "message", "customer"]
    case: str | None = Field(description="The case reference, for case and message hits.")
    customer_id: int | None
    title: str
    snippet: str = Field(description="Text around the match; matches are marked « and ».")
    url: str

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return format_reference(obj.case_id) if obj.case_id else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        if obj.case_id:
            return f"/cases/{format_reference(obj.case_id)}/"
        return f"/customers/{obj.customer_id}/"


class SearchResults(Schema):
    items: list[SearchHitOut]


class ConflictOut(ErrorOut):
    """409: someone changed the case first. ``current`` is the case as it is now."""

    current: CaseOut | list[CaseOut] = Field(description="The case as it is now (a merge: every case in it).")


# --- in ----------------------------------------------------------------------------------------------


class CaseFilters(Schema):
    """The case list's filters and sort, shared by the list and its export."""

    queue: QueueName = "all"
    status: list[str] = Field(
        [], description="Statuses, comma-separated or repeated; 'any' for every status. Default: active cases."
    )
    priority: PriorityLabel | None = None
    type: CaseTypeName | None = None
    channel: ChannelName | None = None
    team: RowId | None = Field(None, description="Team id.")
    owner: RowId | None = Field(None, description="Owner's user id.")
    customer: RowId | None = Field(None, description="Customer id.")
    tag: str | None = Field(None, max_length=50)
    sort: SortName = "updated"
    updated_since: AwareDatetime | None = Field(
        None,
        description="Only cases changed at or after this moment (ISO 8601 with a time zone, e.g. "
        "2026-03-01T09:00:00Z): pass the time your last sync started.",
    )
    created_since: AwareDatetime | None = Field(
        None, description="Only cases opened at or after this moment (ISO 8601 with a time zone)."
    )

    def filter_params(self) -> dict[str, str | list[str]]:
        """The query as ``QueueFilter.from_params`` reads it (the same parser the queue page uses)."""
        params: dict[str, str | list[str]] = {
            name: value.isoformat() if isinstance(value, datetime) else str(value)
            for name, value in self.model_dump(exclude={"status", "cursor", "limit", "format"}).items()
            if value is not None
        }
        if self.status:
            params["status"] = self.status
        return params


class CaseListQuery(CaseFilters):
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="Words to find; the last may be a prefix.")
    limit: int = Field(20, ge=1, le=50)


class CaseIn(Schema):
    """A new case with its first message. A customer raises cases for themselves: leave out
    ``customer``; channel, priority, team, owner and tags are the desk's to set."""

    model_config = ConfigDict(extra="forbid")

    customer: OptionalId = Field(None, description="Customer id: required for staff.")
    subject: str
    body: str = Field(description="The customer's words, as received or as logged.")
    type: CaseTypeName = "enquiry"
    channel: ChannelName | None = None
    priority: PriorityLabel = "normal"
    team: OptionalId = Field(None, description="Team id.")
    owner: OptionalId = Field(None, description="Owner's user id (staff).")
    tags: Tags = []


class CaseChanges(Schema):
    """Fields to change; leave out what stays. ``null`` clears owner or team."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="The version you read; or send it as If-Match.")
    subject: str | None = None
    type: CaseTypeName | None = None
    status: StatusName | None = None
    priority: PriorityLabel | None = None
    owner: OptionalId = None
    team: OptionalId = None
    tags: Tags | None = None


class MergeIn(Schema):
    """The cases to merge into this one, and the version you read of each (this one's too)."""

    model_config = ConfigDict(extra="forbid")

    cases: list[str] = Field(description="References of the cases to merge into this one.")
    versions: dict[str, int] = Field(description="The version you read of every case, by reference.")
    notify: bool = Field(False, description="Tell the customer, by a reply on this case.")


class MergeOut(Schema):
    target: CaseOut
    merged: list[str] = Field(description="References of the cases now pointing to the target.")
    messages_moved: int
    events_moved: int


class SplitIn(Schema):
    """A message of this case (and, with ``following``, every later one) to move to a new case."""

    model_config = ConfigDict(extra="forbid")

    message: int
    following: bool = False
    version: int | None = Field(None, description="The version of the case you read.")
    subject: str = Field("", description="The new case's subject; this case's when empty.")


class CcIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cc: list[str] = Field(description="Every address to copy on replies (an empty list copies nobody).")
    version: int | None = Field(None, description="The version of the case you read.")


class MessageIn(Schema):
    """Staff send ``outbound`` replies and ``note``s, or log an ``inbound`` message for the
    customer; a customer can send only ``inbound``."""

    model_config = ConfigDict(extra="forbid")

    kind: MessageKindName
    body: str
    body_html: str = Field("", description="Optional HTML version; sanitised before it is stored.")
    format: Literal["text", "markdown"] = Field(
        "text", description="Staff: 'markdown' to write the body in Markdown (sanitised HTML is made from it)."
    )
    channel: ChannelName | None = None
    status_after: StatusName | None = Field(None, description="Staff: the status to leave the case in.")
    copy_cc: bool = Field(True, description="Staff: copy a reply to the case's CC list (false drops it).")


# --- working many cases at once --------------------------------------------------------------------


class BulkIn(Schema):
    """One action for many cases: ``cases`` maps each reference to the version you read."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="assign, status, priority, team, tags_add, tags_remove, or an action an app adds.")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description='The action\'s parameter, e.g. {"owner": 12}, {"status": "resolved"}, {"tags": ["refund"]}.',
    )
    cases: dict[str, int] = Field(description="Reference to the version you read, at most 500 cases.")


class BulkRowOut(Schema):
    reference: str
    status: int = Field(description="200 changed; 404, 403, 409 or 422 refused, as for one case.")
    error: str | None = None


class BulkOut(Schema):
    action: str
    changed: int
    refused: int
    results: list[BulkRowOut]


# --- the language assistant (docs/language.md) ---------------------------------------------------

LANGUAGE_CODES = Literal["negative_phrasing", "blame", "jargon", "no_ownership", "no_next_step", "no_empathy"]


class LanguageReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000, description="The reply as written (at most 20,000 characters).")
    complaint: bool = Field(False, description="A reply to a complaint: also checks that it acknowledges the customer.")


class LanguageFindingOut(Schema):
    code: LANGUAGE_CODES
    label: str
    start: int = Field(description="Where the passage starts in `text` (a character offset).")
    end: int = Field(description="Where it ends (exclusive).")
    quote: str = Field(description="The passage, text[start:end].")
    explanation: str
    suggestion: str = Field(description="A suggested rewording, or empty when none is clear.")


class LanguageReviewOut(Schema):
    findings: list[LanguageFindingOut]
    codes: list[LANGUAGE_CODES] = Field(description="The codes found at least once, in the order of the list of codes.")
