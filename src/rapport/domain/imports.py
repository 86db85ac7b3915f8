"""How another help desk's history maps onto Rapport: Zendesk, Freshdesk and CSV.

Pure rules: each source's records (the dicts its JSON export or API gives) become the neutral
records below (``Organisation``, ``Person``, ``Ticket``, ``Comment``, ``FileRef``, ``Rating``), and
every value Rapport cannot hold as it stands is reported as an ``Issue`` rather than dropped in
silence. No Django, no I/O, no clock: times are parsed from the text with the zone to read local
times in.

The shapes followed, as the vendors publish them:

- Zendesk Support API: tickets, users, organizations and ticket comments
  (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/,
  .../users/users/, .../organizations/organizations/, .../tickets/ticket_comments/), the
  incremental exports (``{"tickets": [...], "end_of_stream": true}``; ticket events with
  ``include=comment_events``: https://developer.zendesk.com/api-reference/ticketing/
  ticket-management/incremental_exports/) and the admin's JSON export (one ticket per line, with
  its ``comments``). Status ``new | open | pending | hold | solved | closed``; priority ``low |
  normal | high | urgent``; type ``question | incident | problem | task``; the channel in
  ``via.channel``; CSAT in ``satisfaction_rating.score`` (``good | bad | offered | unoffered``).
- Freshdesk API v2 (https://developers.freshdesk.com/api/): tickets (status 2 Open, 3 Pending,
  4 Resolved, 5 Closed, and the default custom statuses 6 Waiting on Customer, 7 Waiting on Third
  Party; priority 1 Low … 4 Urgent; source 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback widget,
  10 Outbound email), conversations (``incoming``, ``private``), contacts, agents, companies,
  ticket fields and satisfaction ratings (the default question's answer, 103 "Extremely happy"
  down to -103 "Extremely unhappy").
- CSV: Rapport's own columns (docs/imports.md), any other column kept as a labelled field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Literal
from zoneinfo import ZoneInfo

from rapport.domain.case_rules import CaseType, Channel, Priority, Status

SourceName = Literal["zendesk", "freshdesk", "csv"]
SOURCES: tuple[SourceName, ...] = ("zendesk", "freshdesk", "csv")
SOURCE_LABELS: dict[str, str] = {"zendesk": "Zendesk", "freshdesk": "Freshdesk", "csv": "CSV"}

INBOUND, OUTBOUND, NOTE = "inbound", "outbound", "note"
MAX_SUBJECT = 200
MAX_NAME = 200
NO_SUBJECT = "(no subject)"


@dataclass(frozen=True)
class Issue:
    """Something in the source that cannot be mapped as it stands: ``kind`` groups it in the report
    ("unknown_status", "missing_requester" …), ``where`` names the record ("ticket 12")."""

    kind: str
    where: str
    message: str


@dataclass(frozen=True)
class Organisation:
    source_id: str
    name: str
    notes: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class Person:
    """A customer (``staff`` false) or a member of staff in the source. ``deleted``: the source
    says the person was deleted (kept, so their tickets keep a requester)."""

    source_id: str
    name: str
    email: str = ""
    phone: str = ""
    staff: bool = False
    organisation_id: str = ""
    deleted: bool = False
    notes: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class FileRef:
    """An attachment as the source names it: fetched from ``url`` or found beside the export."""

    source_id: str
    filename: str
    content_type: str = ""
    size: int | None = None
    url: str = ""
    inline: bool = False


@dataclass(frozen=True)
class Comment:
    """A message on a ticket. ``kind`` is inbound, outbound or note when the source says so;
    empty when it depends on whether the author is staff (Zendesk: ``public`` and the author's
    role), which ``message_kind`` decides once the author is known."""

    source_id: str
    ticket_id: str
    author_id: str
    public: bool
    text: str
    html: str
    created_at: datetime
    kind: str = ""
    files: tuple[FileRef, ...] = ()


@dataclass(frozen=True)
class Rating:
    """A CSAT answer on Rapport's 1-5 scale, with the source's own words for it."""

    score: int
    label: str
    comment: str = ""
    rated_at: datetime | None = None


@dataclass(frozen=True)
class Ticket:
    source_id: str
    subject: str
    status: Status
    priority: Priority
    type: CaseType
    channel: Channel
    requester_id: str
    created_at: datetime
    updated_at: datetime
    organisation_id: str = ""
    assignee_id: str = ""
    tags: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    solved_at: datetime | None = None
    closed_at: datetime | None = None
    first_response_at: datetime | None = None
    rating: Rating | None = None
    comments: tuple[Comment, ...] = ()
    merged_into: str = ""
    description: str = ""
    """The opening message when the source keeps it apart from the comments (Freshdesk)."""
    description_html: str = ""


@dataclass
class Mapped:
    """What one source record became, and what could not be mapped."""

    record: Any
    issues: list[Issue] = field(default_factory=list)


# --- values ---------------------------------------------------------------------------------------

LONDON = ZoneInfo("Europe/London")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


def parse_time(value: object, *, zone: ZoneInfo = LONDON) -> datetime | None:
    """An instant in UTC from ISO 8601 text (``2026-03-29T01:30:00Z``, ``…+01:00``), Unix seconds,
    or a local time as a spreadsheet writes it (``29/03/2026 09:30``, read in ``zone``; the UK
    writes day first). None for an empty value; ``ValueError`` for text that is no time.

    A local time that the clocks skip (01:30 on the last Sunday of March in London) or pass twice
    (01:30 on the last Sunday of October) is read as zoneinfo reads it: ``fold=0``, the earlier
    offset (PEP 495)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        moment = None
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007 - local time, zone applied below
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError(f"{text!r} is not a time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _time(value: object, where: str, what: str, issues: list[Issue], zone: ZoneInfo) -> datetime | None:
    try:
        return parse_time(value, zone=zone)
    except ValueError:
        issues.append(Issue("bad_time", where, f"{what} {value!r} is not a time; left empty."))
        return None


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _id(value: object) -> str:
    """A source id as text: ``12`` and ``"12"`` are the same record; None is no id."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def subject_text(value: object) -> str:
    """A subject as Rapport keeps it: one line, at most 200 characters, never empty."""
    text = " ".join(_text(value).split())
    if not text:
        return NO_SUBJECT
    return text if len(text) <= MAX_SUBJECT else text[: MAX_SUBJECT - 1] + "…"


def person_name(name: object, email: str, source_id: str, source: str) -> str:
    """The name to show: as given, else the email address's local part, else who they were in the
    source ("Zendesk user 42")."""
    text = " ".join(_text(name).split())
    if not text and email:
        text = email.split("@", 1)[0]
    if not text:
        text = f"{SOURCE_LABELS.get(source, source)} user {source_id}"
    return text[:MAX_NAME]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(value: object) -> str:
    """An email address in lower case, or "" when it is not one."""
    text = _text(value).lower()
    return text if _EMAIL.match(text) and len(text) <= 254 else ""


def field_text(value: object) -> str:
    """A custom field's value as people read it: lists joined, yes/no for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(t for v in value if (t := field_text(v)))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {t}" for k, v in value.items() if (t := field_text(v)))
    return str(value).strip()


def humanise_key(key: str) -> str:
    """A field's machine name as a label: ``cf_order_number`` → "Order number"."""
    text = re.sub(r"^cf_", "", key).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else key


_TAG_CHARS = re.compile(r"[^a-z0-9_-]+")


def tag_slug(value: object) -> str:
    """A source tag as a Rapport tag (a slug of at most 50 characters): "VIP Customer" → "vip-customer"."""
    text = _TAG_CHARS.sub("-", _text(value).lower()).strip("-")
    return text[:50].strip("-")


def tags_of(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        values = re.split(r"[,;\s]+", values)
    if not isinstance(values, list | tuple):
        return ()
    return tuple(sorted({slug for v in values if (slug := tag_slug(v))}))


class _TextOf(HTMLParser):
    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt") or "image"
            self.parts.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The words of an HTML body, paragraphs on their own lines (for search and plain views)."""
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def mark_inline_images(markup: str, files: Sequence[FileRef]) -> str:
    """An HTML body whose inline images (``<img src=…>`` pointing at an attachment, or at a
    ``data:`` or remote address) become the words "[image: name]". Rapport's sanitiser drops
    images (they may track the reader); the picture itself is kept as an attachment of the
    message, and the words show where it stood."""
    by_url = {f.url: f.filename for f in files if f.url}

    def replace(match: re.Match[str]) -> str:
        src_match = _SRC.search(match.group(0))
        src = html.unescape(next(g for g in src_match.groups()[1:] if g is not None)) if src_match else ""
        name = by_url.get(src) or next((n for u, n in by_url.items() if u and src.startswith(u)), "")
        return f"[image: {html.escape(name)}]" if name else "[image]"

    return _IMG.sub(replace, markup)


def message_kind(*, public: bool, author_is_staff: bool) -> str:
    """Zendesk's rule: a private comment is an internal note; a public one from staff is a reply
    to the customer; a public one from anyone else came from the customer."""
    if not public:
        return NOTE
    return OUTBOUND if author_is_staff else INBOUND


_MERGED = re.compile(r"(?:closed and )?merged into (?:request|ticket) #?(\d+)", re.IGNORECASE)


def merged_target(texts: Iterable[str]) -> str:
    """The ticket a merged ticket now points to, from the note the source writes when it merges
    ("Request #12 was closed and merged into request #15.", Freshdesk's "… merged into ticket
    15"): "" when none says so."""
    for text in texts:
        found = _MERGED.search(text or "")
        if found:
            return found.group(1)
    return ""


def first_staff_reply(comments: Sequence[Comment], staff: Mapping[str, bool]) -> datetime | None:
    """When staff first answered the customer: the earliest outbound message."""
    times = [
        c.created_at
        for c in comments
        if (c.kind or message_kind(public=c.public, author_is_staff=staff.get(c.author_id, False))) == OUTBOUND
    ]
    return min(times) if times else None


# --- Zendesk --------------------------------------------------------------------------------------

ZENDESK_STATUS = {
    "new": Status.NEW,
    "open": Status.OPEN,
    "pending": Status.WAITING_ON_CUSTOMER,
    "hold": Status.WAITING_ON_THIRD_PARTY,
    "solved": Status.RESOLVED,
    "closed": Status.CLOSED,
}
ZENDESK_PRIORITY = {"low": Priority.LOW, "normal": Priority.NORMAL, "high": Priority.HIGH, "urgent": Priority.URGENT}
ZENDESK_TYPE = {
    "question": CaseType.ENQUIRY,
    "incident": CaseType.REQUEST,
    "problem": CaseType.REQUEST,
    "task": CaseType.INTERNAL_REQUEST,
}
ZENDESK_CHANNEL = {
    "email": Channel.EMAIL,
    "web": Channel.PORTAL,
    "web_form": Channel.PORTAL,
    "mobile": Channel.PORTAL,
    "mobile_sdk": Channel.PORTAL,
    "help_center": Channel.PORTAL,
    "web_widget": Channel.PORTAL,
    "voice": Channel.PHONE,
    "phone": Channel.PHONE,
    "chat": Channel.CHAT,
    "chat_transcript": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "messaging": Channel.CHAT,
    "sms": Channel.CHAT,
    "whatsapp": Channel.CHAT,
    "twitter": Channel.CHAT,
    "facebook": Channel.CHAT,
}
ZENDESK_STAFF_ROLES = frozenset({"agent", "admin"})
ZENDESK_RATING = {"good": Rating(5, "Good, I'm satisfied"), "bad": Rating(1, "Bad, I'm unsatisfied")}
COMPLAINT_TAGS = frozenset({"complaint", "complaints", "formal-complaint"})


def case_type(mapped: CaseType, tags: Sequence[str]) -> CaseType:
    """A ticket tagged as a complaint is a complaint (Zendesk and Freshdesk have no such type)."""
    return CaseType.COMPLAINT if COMPLAINT_TAGS.intersection(tags) else mapped


def zendesk_organisation(raw: Mapping[str, Any], *, zone: ZoneInfo = LONDON) -> Mapped:
    source_id = _id(raw.get("id"))
    issues: list[Issue] = []
    name = _text(raw.get("name")) or f"Zendesk organisation {source_id}"
    notes = "\n".join(filter(None, [_text(raw.get("details")), _text(raw.get("notes"))]))
    created = _time(raw.get("created_at"), f"organisation {source_id}", "created_at", issues, zone)
    return Mapped(Organisation(source_id, name[:MAX_NAME], notes, created), issues)


def zendesk_person(raw: Mapping[str, Any], *, zone: ZoneInfo = LONDON) -> Mapped:
    source_id = _id(raw.get("id"))
    issues: list[Issue] = []
    email = clean_email(raw.get("email"))
    if raw.get("email") and not email:
        issues.append(Issue("bad_email", f"user {source_id}", f"{raw.get('email')!r} is not an email address."))
    deleted = raw.get("active") is False or bool(raw.get("deleted"))
    person = Person(
        source_id=source_id,
        name=person_name(raw.get("name"), email, source_id, "zendesk"),
        email=email,
        phone=_text(raw.get("phone"))[:40],
        staff=_text(raw.get("role")).lower() in ZENDESK_STAFF_ROLES,
        organisation_id=_id(raw.get("organization_id")),
        deleted=deleted,
        notes=_text(raw.get("notes")),
        created_at=_time(raw.get("created_at"), f"user {source_id}", "created_at", issues, zone),
    )
    return Mapped(person, issues)


def zendesk_files(raw: object) -> tuple[FileRef, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        FileRef(
            source_id=_id(a.get("id")),
            filename=_text(a.get("file_name")) or f"attachment-{_id(a.get('id'))}",
            content_type=_text(a.get("content_type")),
            size=a.get("size") if isinstance(a.get("size"), int) else None,
            url=_text(a.get("content_url") or a.get("mapped_content_url")),
            inline=bool(a.get("inline")),
        )
        for a in raw
        if isinstance(a, dict)
    )


def zendesk_comment(raw: Mapping[str, Any], ticket_id: str, *, zone: ZoneInfo = LONDON) -> Mapped:
    source_id = _id(raw.get("id"))
    issues: list[Issue] = []
    where = f"comment {source_id} on ticket {ticket_id}"
    created = _time(raw.get("created_at"), where, "created_at", issues, zone)
    files = zendesk_files(raw.get("attachments"))
    markup = _text(raw.get("html_body"))
    text = _text(raw.get("plain_body")) or _text(raw.get("body")) or (html_text(markup) if markup else "")
    if not text and not files:
        issues.append(Issue("empty_comment", where, "The comment has no text; kept as an empty message."))
    if created is None:
        issues.append(Issue("missing_time", where, "The comment has no time; given the ticket's."))
    comment = Comment(
        source_id=source_id,
        ticket_id=ticket_id,
        author_id=_id(raw.get("author_id")),
        public=raw.get("public") is not False,
        text=text,
        html=mark_inline_images(markup, files) if markup else "",
        created_at=created or datetime.min.replace(tzinfo=UTC),
        files=files,
    )
    return Mapped(comment, issues)


def zendesk_ticket(
    raw: Mapping[str, Any], *, field_labels: Mapping[str, str] | None = None, zone: ZoneInfo = LONDON
) -> Mapped:
    """A Zendesk ticket (API, incremental export, or the admin's JSON export with ``comments``).
    A deleted ticket (status "deleted") maps to None with an issue: there is nothing to serve."""
    source_id = _id(raw.get("id"))
    where = f"ticket {source_id}"
    issues: list[Issue] = []
    raw_status = _text(raw.get("status")).lower()
    if raw_status == "deleted":
        return Mapped(None, [Issue("deleted_ticket", where, "The ticket was deleted in Zendesk; not imported.")])
    status = ZENDESK_STATUS.get(raw_status)
    if status is None:
        issues.append(Issue("unknown_status", where, f"Status {raw_status!r} is not known; imported as open."))
        status = Status.OPEN
    raw_priority = _text(raw.get("priority")).lower()
    priority = ZENDESK_PRIORITY.get(raw_priority, Priority.NORMAL)
    if raw_priority and raw_priority not in ZENDESK_PRIORITY:
        issues.append(Issue("unknown_priority", where, f"Priority {raw_priority!r} is not known; imported as normal."))
    raw_type = _text(raw.get("type")).lower()
    mapped_type = ZENDESK_TYPE.get(raw_type, CaseType.ENQUIRY)
    if raw_type and raw_type not in ZENDESK_TYPE:
        issues.append(Issue("unknown_type", where, f"Type {raw_type!r} is not known; imported as an enquiry."))
    via = raw.get("via") if isinstance(raw.get("via"), dict) else {}
    raw_channel = _text(via.get("channel")).lower() if via else ""
    channel = ZENDESK_CHANNEL.get(raw_channel)
    fields: list[tuple[str, str]] = []
    if channel is None:
        channel = Channel.EMAIL
        if raw_channel:
            issues.append(Issue("unknown_channel", where, f"Channel {raw_channel!r} has no match; imported as email."))
            fields.append(("Original channel", raw_channel))
    tags = tags_of(raw.get("tags") or [])
    labels = field_labels or {}
    for entry in raw.get("custom_fields") or raw.get("fields") or []:
        if not isinstance(entry, dict):
            continue
        value = field_text(entry.get("value"))
        if not value:
            continue
        field_id = _id(entry.get("id"))
        label = labels.get(field_id)
        if label is None:
            label = f"Field {field_id}"
            issues.append(Issue("unlabelled_field", where, f"Custom field {field_id} has no title; kept as {label!r}."))
        fields.append((label, value))
    metrics = raw.get("metric_set") if isinstance(raw.get("metric_set"), dict) else {}
    created = _time(raw.get("created_at"), where, "created_at", issues, zone)
    updated = _time(raw.get("updated_at"), where, "updated_at", issues, zone) or created
    solved = _time(raw.get("solved_at") or (metrics or {}).get("solved_at"), where, "solved_at", issues, zone)
    requester = _id(raw.get("requester_id") or raw.get("submitter_id"))
    if not requester:
        issues.append(Issue("missing_requester", where, "The ticket names no requester; given a placeholder customer."))
    comments: list[Comment] = []
    for entry in raw.get("comments") or []:
        if isinstance(entry, dict):
            mapped = zendesk_comment(entry, source_id, zone=zone)
            issues.extend(mapped.issues)
            comments.append(mapped.record)
    if created is None:
        created = min((c.created_at for c in comments if c.created_at.year > 1), default=None)
        if created is None:
            return Mapped(
                None, [*issues, Issue("missing_time", where, "The ticket has no creation time; not imported.")]
            )
    comments = [c if c.created_at.year > 1 else _at(c, created) for c in comments]
    rating = _zendesk_rating(raw.get("satisfaction_rating"), zone)
    ticket = Ticket(
        source_id=source_id,
        subject=subject_text(raw.get("subject") or raw.get("raw_subject")),
        status=status,
        priority=priority,
        type=case_type(mapped_type, tags),
        channel=channel,
        requester_id=requester,
        created_at=created,
        updated_at=max(updated or created, created),
        organisation_id=_id(raw.get("organization_id")),
        assignee_id=_id(raw.get("assignee_id")),
        tags=tags,
        fields=tuple(fields),
        solved_at=solved,
        rating=rating,
        comments=tuple(sorted(comments, key=lambda c: (c.created_at, c.source_id))),
        merged_into=merged_target(c.text for c in comments) if "closed_by_merge" in tags else "",
        description="" if comments else _text(raw.get("description")),
    )
    return Mapped(ticket, issues)


def _at(comment: Comment, when: datetime) -> Comment:
    return Comment(
        comment.source_id,
        comment.ticket_id,
        comment.author_id,
        comment.public,
        comment.text,
        comment.html,
        when,
        comment.kind,
        comment.files,
    )


def _zendesk_rating(raw: object, zone: ZoneInfo) -> Rating | None:
    """Zendesk's two-point CSAT: "good" is 5 and "bad" is 1 on Rapport's scale; "offered" (asked,
    no answer) and "unoffered" are no rating."""
    if not isinstance(raw, dict):
        return None
    base = ZENDESK_RATING.get(_text(raw.get("score")).lower())
    if base is None:
        return None
    try:
        rated = parse_time(raw.get("updated_at") or raw.get("created_at"), zone=zone)
    except ValueError:
        rated = None
    return Rating(base.score, base.label, _text(raw.get("comment")), rated)


def zendesk_comment_page(raw: Mapping[str, Any], *, zone: ZoneInfo = LONDON) -> list[Mapped]:
    """Comments kept apart from the tickets: ``{"ticket_id": 1, "comments": [...]}`` (a page of
    ``GET /api/v2/tickets/{id}/comments`` with its ticket), one comment with its ``ticket_id``, or an
    incremental ticket event (``include=comment_events``) whose child events include comments."""
    ticket_id = _id(raw.get("ticket_id"))
    if isinstance(raw.get("comments"), list):
        return [zendesk_comment(c, ticket_id, zone=zone) for c in raw["comments"] if isinstance(c, dict)]
    if isinstance(raw.get("child_events"), list):
        found = []
        for child in raw["child_events"]:
            if isinstance(child, dict) and child.get("event_type") == "Comment":
                merged = {"created_at": raw.get("created_at"), **child}
                merged.setdefault("author_id", raw.get("updater_id"))
                found.append(zendesk_comment(merged, ticket_id, zone=zone))
        return found
    if raw.get("id") is not None and ticket_id:
        return [zendesk_comment(raw, ticket_id, zone=zone)]
    return []


# --- Freshdesk ------------------------------------------------------------------------------------

FRESHDESK_STATUS = {
    2: Status.OPEN,
    3: Status.WAITING_ON_CUSTOMER,
    4: Status.RESOLVED,
    5: Status.CLOSED,
    6: Status.WAITING_ON_CUSTOMER,
    7: Status.WAITING_ON_THIRD_PARTY,
}
FRESHDESK_PRIORITY = {1: Priority.LOW, 2: Priority.NORMAL, 3: Priority.HIGH, 4: Priority.URGENT}
FRESHDESK_SOURCE = {
    1: Channel.EMAIL,
    2: Channel.PORTAL,
    3: Channel.PHONE,
    4: Channel.PORTAL,  # forum
    5: Channel.CHAT,  # Twitter
    6: Channel.CHAT,  # Facebook
    7: Channel.CHAT,
    8: Channel.CHAT,  # Mobihelp
    9: Channel.PORTAL,  # feedback widget
    10: Channel.EMAIL,  # outbound email
}
FRESHDESK_TYPE = {
    "question": CaseType.ENQUIRY,
    "incident": CaseType.REQUEST,
    "problem": CaseType.REQUEST,
    "feature request": CaseType.REQUEST,
    "refund": CaseType.REQUEST,
    "service request": CaseType.REQUEST,
    "complaint": CaseType.COMPLAINT,
}
FRESHDESK_RATING = {
    103: Rating(5, "Extremely happy"),
    102: Rating(5, "Very happy"),
    101: Rating(4, "Happy"),
    100: Rating(3, "Neutral"),
    -101: Rating(2, "Unhappy"),
    -102: Rating(1, "Very unhappy"),
    -103: Rating(1, "Extremely unhappy"),
}
"""Freshdesk's seven-point scale onto CSAT's five: the two happiest and the two unhappiest share
a point, so "satisfied" (4 and 5) stays what Freshdesk counts as happy."""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def freshdesk_organisation(raw: Mapping[str, Any], *, zone: ZoneInfo = LONDON) -> Mapped:
    source_id = _id(raw.get("id"))
    issues: list[Issue] = []
    name = _text(raw.get("name")) or f"Freshdesk company {source_id}"
    notes = "\n".join(filter(None, [_text(raw.get("description")), _text(raw.get("note"))]))
    created = _time(raw.get("created_at"), f"company {source_id}", "created_at", issues, zone)
    return Mapped(Organisation(source_id, name[:MAX_NAME], notes, created), issues)


def freshdesk_person(raw: Mapping[str, Any], *, staff: bool = False, zone: ZoneInfo = LONDON) -> Mapped:
    """A contact, or an agent (``staff``: the agents endpoint nests name and email in ``contact``)."""
    source_id = _id(raw.get("id"))
    issues: list[Issue] = []
    contact: Mapping[str, Any] = raw["contact"] if isinstance(raw.get("contact"), dict) else raw
    email = clean_email(contact.get("email"))
    if contact.get("email") and not email:
        issues.append(Issue("bad_email", f"contact {source_id}", f"{contact.get('email')!r} is not an email address."))
    person = Person(
        source_id=source_id,
        name=person_name(contact.get("name"), email, source_id, "freshdesk"),
        email=email,
        phone=(_text(contact.get("phone")) or _text(contact.get("mobile")))[:40],
        staff=staff,
        organisation_id=_id(raw.get("company_id")),
        deleted=bool(raw.get("deleted")) or (contact.get("active") is False and not staff),
        notes=_text(raw.get("description")),
        created_at=_time(raw.get("created_at"), f"contact {source_id}", "created_at", issues, zone),
    )
    return Mapped(person, issues)


def freshdesk_files(raw: object) -> tuple[FileRef, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        FileRef(
            source_id=_id(a.get("id")),
            filename=_text(a.get("name")) or f"attachment-{_id(a.get('id'))}",
            content_type=_text(a.get("content_type")),
            size=a.get("size") if isinstance(a.get("size"), int) else None,
            url=_text(a.get("attachment_url")),
            inline=bool(a.get("inline")),
        )
        for a in raw
        if isinstance(a, dict)
    )


def freshdesk_conversation(raw: Mapping[str, Any], ticket_id: str = "", *, zone: ZoneInfo = LONDON) -> Mapped:
    """A conversation: ``private`` is an internal note, ``incoming`` came from the customer, the
    rest are replies."""
    source_id = _id(raw.get("id"))
    ticket_id = ticket_id or _id(raw.get("ticket_id"))
    where = f"conversation {source_id} on ticket {ticket_id}"
    issues: list[Issue] = []
    created = _time(raw.get("created_at"), where, "created_at", issues, zone)
    files = freshdesk_files(raw.get("attachments"))
    markup = _text(raw.get("body"))
    text = _text(raw.get("body_text")) or (html_text(markup) if markup else "")
    if created is None:
        issues.append(Issue("missing_time", where, "The conversation has no time; given the ticket's."))
    private = bool(raw.get("private"))
    kind = NOTE if private else INBOUND if raw.get("incoming") else OUTBOUND
    comment = Comment(
        source_id=source_id,
        ticket_id=ticket_id,
        author_id=_id(raw.get("user_id")),
        public=not private,
        text=text,
        html=mark_inline_images(markup, files) if markup else "",
        created_at=created or datetime.min.replace(tzinfo=UTC),
        kind=kind,
        files=files,
    )
    return Mapped(comment, issues)


def freshdesk_ticket(
    raw: Mapping[str, Any], *, field_labels: Mapping[str, str] | None = None, zone: ZoneInfo = LONDON
) -> Mapped:
    """A Freshdesk ticket (``GET /api/v2/tickets/{id}?include=conversations,stats``): the
    description is the customer's opening message; ``stats`` gives first response, resolved and
    closed times; ``custom_fields`` are labelled from the ticket fields (``cf_…`` names)."""
    source_id = _id(raw.get("id"))
    where = f"ticket {source_id}"
    issues: list[Issue] = []
    if raw.get("deleted") or raw.get("spam"):
        why = "deleted" if raw.get("deleted") else "marked as spam"
        return Mapped(None, [Issue("deleted_ticket", where, f"The ticket was {why} in Freshdesk; not imported.")])
    raw_status = _int(raw.get("status"))
    status = FRESHDESK_STATUS.get(raw_status) if raw_status is not None else None
    if status is None:
        issues.append(Issue("unknown_status", where, f"Status {raw.get('status')!r} is not known; imported as open."))
        status = Status.OPEN
    raw_priority = _int(raw.get("priority"))
    priority = FRESHDESK_PRIORITY.get(raw_priority or 2, Priority.NORMAL)
    if raw_priority is not None and raw_priority not in FRESHDESK_PRIORITY:
        issues.append(Issue("unknown_priority", where, f"Priority {raw_priority!r} is not known; imported as normal."))
    raw_type = _text(raw.get("type")).lower()
    mapped_type = FRESHDESK_TYPE.get(raw_type, CaseType.ENQUIRY)
    fields: list[tuple[str, str]] = []
    if raw_type and raw_type not in FRESHDESK_TYPE:
        issues.append(Issue("unknown_type", where, f"Type {raw_type!r} is not known; imported as an enquiry."))
        fields.append(("Original type", _text(raw.get("type"))))
    raw_source = _int(raw.get("source"))
    channel = FRESHDESK_SOURCE.get(raw_source) if raw_source is not None else None
    if channel is None:
        channel = Channel.EMAIL
        if raw.get("source") is not None:
            issues.append(
                Issue("unknown_channel", where, f"Source {raw.get('source')!r} has no match; imported as email.")
            )
    labels = field_labels or {}
    custom = raw.get("custom_fields") if isinstance(raw.get("custom_fields"), dict) else {}
    for key, value in (custom or {}).items():
        text = field_text(value)
        if text:
            fields.append((labels.get(key) or humanise_key(key), text))
    tags = tags_of(raw.get("tags") or [])
    stats = raw.get("stats") if isinstance(raw.get("stats"), dict) else {}
    created = _time(raw.get("created_at"), where, "created_at", issues, zone)
    if created is None:
        return Mapped(None, [*issues, Issue("missing_time", where, "The ticket has no creation time; not imported.")])
    updated = _time(raw.get("updated_at"), where, "updated_at", issues, zone) or created
    requester = _id(raw.get("requester_id"))
    if not requester:
        issues.append(Issue("missing_requester", where, "The ticket names no requester; given a placeholder customer."))
    comments: list[Comment] = []
    for entry in raw.get("conversations") or []:
        if isinstance(entry, dict):
            mapped = freshdesk_conversation(entry, source_id, zone=zone)
            issues.extend(mapped.issues)
            comments.append(mapped.record)
    comments = [c if c.created_at.year > 1 else _at(c, created) for c in comments]
    markup = _text(raw.get("description"))
    ticket = Ticket(
        source_id=source_id,
        subject=subject_text(raw.get("subject")),
        status=status,
        priority=priority,
        type=case_type(mapped_type, tags),
        channel=channel,
        requester_id=requester,
        created_at=created,
        updated_at=max(updated, created),
        organisation_id=_id(raw.get("company_id")),
        assignee_id=_id(raw.get("responder_id")),
        tags=tags,
        fields=tuple(fields),
        solved_at=_time((stats or {}).get("resolved_at"), where, "resolved_at", issues, zone),
        closed_at=_time((stats or {}).get("closed_at"), where, "closed_at", issues, zone),
        first_response_at=_time((stats or {}).get("first_responded_at"), where, "first_responded_at", issues, zone),
        comments=tuple(sorted(comments, key=lambda c: (c.created_at, c.source_id))),
        merged_into=merged_target(c.text for c in comments),
        description=_text(raw.get("description_text")) or (html_text(markup) if markup else ""),
        description_html=markup,
    )
    return Mapped(ticket, issues)


def freshdesk_rating(raw: Mapping[str, Any], *, zone: ZoneInfo = LONDON) -> tuple[str, Mapped]:
    """A satisfaction rating (``GET /api/v2/surveys/satisfaction_ratings``): the ticket it is for,
    and the rating of the default question on Rapport's scale."""
    ticket_id = _id(raw.get("ticket_id"))
    where = f"rating {_id(raw.get('id'))} on ticket {ticket_id}"
    ratings = raw.get("ratings") if isinstance(raw.get("ratings"), dict) else {}
    value = _int((ratings or {}).get("default_question"))
    base = FRESHDESK_RATING.get(value) if value is not None else None
    if base is None:
        return ticket_id, Mapped(
            None, [Issue("unknown_rating", where, f"Rating {value!r} is not on Freshdesk's scale.")]
        )
    issues: list[Issue] = []
    rated = _time(raw.get("created_at"), where, "created_at", issues, zone)
    return ticket_id, Mapped(Rating(base.score, base.label, _text(raw.get("feedback")), rated), issues)


# --- CSV ------------------------------------------------------------------------------------------

CSV_TICKET_COLUMNS = frozenset(
    {
        "id", "subject", "description", "status", "priority", "type", "channel", "requester_id", "requester_name",
        "requester_email", "requester_phone", "organisation", "assignee_email", "assignee_name", "tags",
        "created_at", "updated_at", "solved_at", "closed_at", "satisfaction", "satisfaction_comment", "merged_into",
    }
)  # fmt: skip
CSV_STATUS = {
    **{s.value: s for s in Status},
    "pending": Status.WAITING_ON_CUSTOMER,
    "on hold": Status.WAITING_ON_THIRD_PARTY,
    "hold": Status.WAITING_ON_THIRD_PARTY,
    "waiting on customer": Status.WAITING_ON_CUSTOMER,
    "waiting on third party": Status.WAITING_ON_THIRD_PARTY,
    "solved": Status.RESOLVED,
}
CSV_PRIORITY = {**{p.label: p for p in Priority}, "medium": Priority.NORMAL, "normal": Priority.NORMAL}
CSV_TYPE = {
    **{t.value: t for t in CaseType},
    **{k: v for k, v in FRESHDESK_TYPE.items()},
    "task": CaseType.INTERNAL_REQUEST,
}
CSV_CHANNEL = {
    **{c.value: c for c in Channel},
    "web": Channel.PORTAL,
    "face to face": Channel.FACE_TO_FACE,
    "in person": Channel.FACE_TO_FACE,
    "telephone": Channel.PHONE,
    "post": Channel.LETTER,
}


def _choice(table: Mapping[str, Any], value: str, default: Any, what: str, where: str, issues: list[Issue]) -> Any:
    key = " ".join(value.lower().replace("_", " ").split())
    found = table.get(key) or table.get(key.replace(" ", "_"))
    if found is None:
        if value:
            issues.append(
                Issue(f"unknown_{what}", where, f"{what.capitalize()} {value!r} is not known; imported as {default}.")
            )
        return default
    return found


def csv_ticket(row: Mapping[str, str], *, zone: ZoneInfo = LONDON) -> Mapped:
    """One row of a tickets CSV: Rapport's columns by name; every other non-empty column kept as a
    labelled field under its heading. Times without a zone are read as ``zone`` local time."""

    def get(key: str) -> str:
        return _text(row.get(key))

    source_id = get("id")
    where = f"row for ticket {source_id or '?'}"
    issues: list[Issue] = []
    if not source_id:
        return Mapped(None, [Issue("missing_id", where, "The row has no id; not imported.")])
    created = _time(get("created_at"), where, "created_at", issues, zone)
    if created is None:
        return Mapped(None, [*issues, Issue("missing_time", where, "The row has no created_at; not imported.")])
    updated = _time(get("updated_at"), where, "updated_at", issues, zone) or created
    tags = tags_of(get("tags"))
    score = _int(get("satisfaction"))
    rating = None
    if get("satisfaction"):
        if score is not None and 1 <= score <= 5:
            rating = Rating(score, f"{score} out of 5", get("satisfaction_comment"), updated)
        else:
            issues.append(Issue("unknown_rating", where, f"Satisfaction {get('satisfaction')!r} is not 1 to 5."))
    fields = tuple(
        (key.strip(), text)
        for key, value in row.items()
        if key and key.strip() not in CSV_TICKET_COLUMNS and (text := _text(value))
    )
    ticket = Ticket(
        source_id=source_id,
        subject=subject_text(get("subject")),
        status=_choice(CSV_STATUS, get("status"), Status.OPEN, "status", where, issues),
        priority=_choice(CSV_PRIORITY, get("priority"), Priority.NORMAL, "priority", where, issues),
        type=case_type(_choice(CSV_TYPE, get("type"), CaseType.ENQUIRY, "type", where, issues), tags),
        channel=_choice(CSV_CHANNEL, get("channel"), Channel.EMAIL, "channel", where, issues),
        requester_id=get("requester_id") or clean_email(get("requester_email")) or f"row-{source_id}",
        created_at=created,
        updated_at=max(updated, created),
        organisation_id=get("organisation"),
        assignee_id=clean_email(get("assignee_email")),
        tags=tags,
        fields=fields,
        solved_at=_time(get("solved_at"), where, "solved_at", issues, zone),
        closed_at=_time(get("closed_at"), where, "closed_at", issues, zone),
        rating=rating,
        merged_into=get("merged_into"),
        description=get("description"),
    )
    return Mapped(ticket, issues)


def csv_people(row: Mapping[str, str]) -> tuple[Person, Person | None, Organisation | None]:
    """The requester (and the assignee, and the organisation) a tickets CSV row names: a CSV has
    no separate people file, so people are keyed by email address (or the row's requester id)."""

    def get(key: str) -> str:
        return _text(row.get(key))

    email = clean_email(get("requester_email"))
    requester_id = get("requester_id") or email or f"row-{get('id')}"
    organisation = get("organisation")
    requester = Person(
        source_id=requester_id,
        name=person_name(get("requester_name"), email, requester_id, "csv"),
        email=email,
        phone=get("requester_phone")[:40],
        organisation_id=organisation,
    )
    assignee_email = clean_email(get("assignee_email"))
    assignee = (
        Person(
            assignee_email,
            person_name(get("assignee_name"), assignee_email, assignee_email, "csv"),
            assignee_email,
            staff=True,
        )
        if assignee_email
        else None
    )
    org = Organisation(organisation, organisation[:MAX_NAME]) if organisation else None
    return requester, assignee, org


def csv_comment(row: Mapping[str, str], *, zone: ZoneInfo = LONDON) -> Mapped:
    """One row of a comments CSV: ``ticket_id, id, author_email, author_name, internal, from``
    (``customer`` or ``staff``), ``body``, ``created_at``, ``attachments`` (file names beside the
    CSV, separated by ``;``)."""

    def get(key: str) -> str:
        return _text(row.get(key))

    ticket_id, source_id = get("ticket_id"), get("id")
    where = f"comment {source_id or '?'} on ticket {ticket_id or '?'}"
    issues: list[Issue] = []
    if not ticket_id or not source_id:
        return Mapped(None, [Issue("missing_id", where, "The row needs a ticket_id and an id; not imported.")])
    created = _time(get("created_at"), where, "created_at", issues, zone)
    if created is None:
        return Mapped(None, [*issues, Issue("missing_time", where, "The row has no created_at; not imported.")])
    internal = get("internal").lower() in {"1", "true", "yes", "y"}
    from_staff = get("from").lower() in {"staff", "agent"}
    kind = NOTE if internal else OUTBOUND if from_staff else INBOUND
    names = [n.strip() for n in get("attachments").split(";") if n.strip()]
    files = tuple(FileRef(f"{source_id}:{i}", name) for i, name in enumerate(names))
    comment = Comment(
        source_id=source_id,
        ticket_id=ticket_id,
        author_id=clean_email(get("author_email")),
        public=not internal,
        text=get("body"),
        html="",
        created_at=created,
        kind=kind,
        files=files,
    )
    return Mapped(comment, issues)
