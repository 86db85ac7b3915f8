"""Rules of the email channel that need no database: threading keys, automated mail, back-off.

Sources: RFC 5322 §3.6.4 (Message-ID, In-Reply-To, References), RFC 3834 §5 (Auto-Submitted:
automatic responses must not be answered), RFC 3464 (delivery status notifications, i.e. bounces),
RFC 2076 §3.9 and common practice (``Precedence: bulk/junk/list``, ``X-Autoreply``), and the
domain's case reference (``rapport.domain.references``), RFC 5322 §3.6.1 (the Date header: when
the author submitted the message) and RFC 3501 §2.3.3 (IMAP INTERNALDATE: when the server got it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from rapport.domain.references import format_reference

_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_SUBJECT_REFERENCE = re.compile(r"\[\s*C-?(\d{1,12})\s*\]", re.IGNORECASE)
_PLUS_REFERENCE = re.compile(r"\+C-?(\d{1,12})@", re.IGNORECASE)
_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
MAX_REFERENCES = 20
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=15)


def message_ids(header: str | None) -> list[str]:
    """The message identifiers in an In-Reply-To or References header, in order (RFC 5322 §3.6.4).

    Identifiers are kept without their angle brackets; a bare identifier without brackets (seen
    from some broken clients) is taken as one identifier.
    """
    if not header:
        return []
    found = _MESSAGE_ID.findall(header)
    if not found:
        bare = header.strip()
        return [bare] if bare and " " not in bare else []
    return list(dict.fromkeys(found))


def thread_keys(in_reply_to: str | None, references: str | None) -> list[str]:
    """The identifiers to look a reply's case up by: the direct parent first, then the chain from
    newest to oldest (RFC 5322 §3.6.4: References ends with the parent)."""
    keys = message_ids(in_reply_to) + list(reversed(message_ids(references)))
    return list(dict.fromkeys(keys))


def subject_reference(subject: str) -> int | None:
    """The case number a subject carries as ``[C-000123]``, or None."""
    match = _SUBJECT_REFERENCE.search(subject or "")
    return int(match.group(1)) or None if match else None


def address_reference(addresses: Iterable[str]) -> int | None:
    """The case number a plus-address carries (``support+C-000123@…``), or None."""
    for address in addresses:
        match = _PLUS_REFERENCE.search(address or "")
        if match and int(match.group(1)):
            return int(match.group(1))
    return None


def reply_subject(subject: str, number: int) -> str:
    """The subject of our reply: ``Re: <subject> [C-000123]``, never stacking prefixes or tags."""
    reference = format_reference(number)
    base = _SUBJECT_REFERENCE.sub("", subject or "").strip()
    while base.lower().startswith(("re:", "fw:", "fwd:")):
        base = base.split(":", 1)[1].strip()
    return f"Re: {base} [{reference}]".replace("  ", " ") if base else f"Re: [{reference}]"


def content_key(raw_headers: bytes, body: bytes) -> str:
    """The identity of a message without a Message-ID: a hash of what it says (headers that a
    relay adds, such as Received, are left out by the caller)."""
    digest = hashlib.sha256()
    digest.update(raw_headers)
    digest.update(b"\0")
    digest.update(body)
    return "sha256:" + digest.hexdigest()


def automated_reason(headers: Mapping[str, str], sender: str) -> str:
    """Why a message is machine-sent and must neither open a case nor be answered, or "".

    RFC 3834 §5: any Auto-Submitted value other than "no" marks an automatic message.
    ``Precedence: bulk``/``junk``/``list`` and ``X-Autoreply``/``X-Autorespond`` are the
    conventions older responders use; mailer daemons and postmasters send bounces (RFC 3464).
    ``headers`` maps lower-case header names to values.
    """
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        value = headers.get(name, "").strip()
        if value and (name != "x-auto-response-suppress" or "all" in value.lower()):
            return f"{name}: {value}"
    if headers.get("list-id") or headers.get("list-unsubscribe"):
        return "mailing list"
    if bounce_sender(sender):
        return "mail delivery system"
    return ""


def bounce_sender(sender: str) -> bool:
    """Whether ``sender`` is a mail delivery system (RFC 3464 reports come from such addresses)."""
    local = (sender or "").split("@", 1)[0].lower()
    return not sender or local in _DAEMONS


def is_bounce(content_type: str, report_type: str, sender: str) -> bool:
    """Whether a message is a delivery failure report (RFC 3464: multipart/report with
    report-type=delivery-status), or a bounce in an older free-form style from a mail daemon."""
    if content_type == "multipart/report" and report_type.lower() == "delivery-status":
        return True
    return bool(sender) and bounce_sender(sender)


def reopens(resolved_at: datetime | None, now: datetime, window: timedelta) -> bool:
    """Whether a customer's reply re-opens a resolved or closed case, rather than starting a new one:
    only within ``window`` of resolution (a reply months later is a new matter)."""
    if resolved_at is None:
        return True
    return now - resolved_at <= window


def retry_delay(
    attempts: int, *, base: timedelta = timedelta(minutes=1), cap: timedelta = timedelta(hours=6)
) -> timedelta:
    """How long to wait before sending again after ``attempts`` failed tries: doubling from
    ``base``, never more than ``cap`` (so a long outage is retried a few times an hour at most)."""
    if attempts < 1:
        return timedelta(0)
    exponent = min(attempts - 1, 30)
    return min(base * (1 << exponent), cap)


def references_header(chain: Iterable[str]) -> str:
    """A References header from the case's identifiers, oldest first, at most ``MAX_REFERENCES``
    (the first and the latest ones are kept, as RFC 5322 §3.6.4 suggests trimming)."""
    ids = list(dict.fromkeys(chain))
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(f"<{i}>" for i in ids)


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower() if "@" in address else ""


def written_at(
    date: datetime | None, arrived: datetime | None, now: datetime, *, skew: timedelta = CLOCK_SKEW
) -> datetime:
    """When the customer wrote: the Date header (RFC 5322 §3.6.1) when it is believable, else when
    the mail server received it (IMAP INTERNALDATE, RFC 3501 §2.3.3), else ``now``.

    A date without a time zone, before 1990, or later than ``now`` by more than ``skew`` (a
    sender's clock set wrong) is not believed; one within the skew is taken as ``now``, so nothing
    on the desk is dated in the future.
    """
    for candidate in (date, arrived):
        if candidate is None or candidate.tzinfo is None:
            continue
        if EARLIEST_DATE <= candidate <= now + skew:
            return min(candidate, now)
    return now


def is_historic(written: datetime, now: datetime, window: timedelta) -> bool:
    """Whether mail written at ``written`` and filed at ``now`` is history rather than current
    work: written more than ``window`` before the desk received it (an archive being imported)."""
    return now - written > window
