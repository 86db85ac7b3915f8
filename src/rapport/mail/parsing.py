"""Turn the bytes of one email into what the desk keeps, with the standard library's ``email``
package (policy ``default``): decoded headers, the text (plain preferred, HTML kept), attachments,
inline images and forwarded messages (kept whole, as ``.eml`` attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from typing import Any

from rapport.domain import mail_rules
from rapport.platform import caches


class _Policy(EmailPolicy):
    """``policy.default``, remembering parsed headers: the same Content-Type is otherwise parsed
    a dozen times per message (every ``get_content_type`` call), which made parsing the slow part."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        try:
            return _fetch(name, value)
        except TypeError:
            return super().header_fetch_parse(name, value)


@caches.memo("mail.parsed_headers", key="header name, raw value", maxsize=2048)
def _fetch(name: str, value: str) -> Any:
    return policy.default.header_fetch_parse(name, value)


POLICY = _Policy()
_PARSER = BytesParser(policy=POLICY)
# Headers read for spotting automated mail, taken raw (no structured parsing needed).
_FLAG_HEADERS = frozenset(
    {
        "auto-submitted",
        "precedence",
        "x-autoreply",
        "x-autorespond",
        "x-auto-response-suppress",
        "list-id",
        "list-unsubscribe",
    }
)
# Headers a relay adds or rewrites: left out of the content hash so that the same message fetched
# through two routes has one identity.
_TRANSIT = frozenset(
    {
        "received",
        "return-path",
        "delivered-to",
        "x-original-to",
        "dkim-signature",
        "arc-seal",
        "arc-message-signature",
        "arc-authentication-results",
        "authentication-results",
        "received-spf",
        "x-received",
        "status",
        "x-status",
        "x-uid",
        "x-keywords",
        "lines",
        "content-length",
    }
)
_TAG = re.compile(r"<(script|style|head)[^>]*>.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_BLANKS = re.compile(r"\n\s*\n\s*\n+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# The usual From header, "Name <address>", "\"Name\" <address>" or a bare address, in plain ASCII:
# read directly, as the header registry would read it (its full parser is the slow part of parsing).
_PLAIN_ADDRESS = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PLAIN_FROM = re.compile(
    rf"""(?:(?P<name>[A-Za-z0-9 _'.-]*?)|"(?P<q>[^"\\]*)")\s*<(?P<a>{_PLAIN_ADDRESS})>|(?P<bare>{_PLAIN_ADDRESS})"""
)


_CALENDAR = frozenset({"text/calendar", "application/ics"})


class Unparseable(ValueError):
    """The message cannot be understood well enough to file it (it is quarantined, not dropped)."""


@dataclass(frozen=True)
class Part:
    filename: str
    content: bytes
    content_type: str
    inline: bool = False


@dataclass
class ParsedMail:
    message_id: str
    key: str
    subject: str
    sender: str
    sender_name: str
    to: list[str]
    date: datetime | None
    in_reply_to: str
    references: str
    text: str
    html: str
    parts: list[Part] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    report_type: str = ""
    bounce_recipients: list[str] = field(default_factory=list)
    bounce_message_ids: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # who else the sender copied (kept on the case)


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:
        raw = msg.get_all(name, failobj=[None])
        value = raw[0] if raw else None
    if value is None:
        return ""
    return " ".join(str(value).split())


def _plain_sender(raw_headers: dict[str, str]) -> tuple[str, str] | None:
    value = raw_headers.get("from", "")
    if not value.isascii():
        return None
    match = _PLAIN_FROM.fullmatch(value.strip())
    if match is None:
        return None
    if match["bare"]:
        return "", match["bare"]
    name = match["q"] if match["q"] is not None else " ".join((match["name"] or "").split())
    return name, match["a"]


def _plain(raw_headers: dict[str, str], name: str) -> str | None:
    """An unstructured header's value when nothing in it needs decoding (no encoded words)."""
    value = raw_headers.get(name)
    if value is None:
        return ""
    return value if value.isascii() and "=?" not in value else None


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    try:
        header = msg.get(name)
        if header is not None and hasattr(header, "addresses"):
            return [(a.display_name, a.addr_spec) for a in header.addresses if a.addr_spec and "@" in a.addr_spec]
    except Exception:  # noqa: S110 - fall back to the lenient parser below
        pass
    raw = [str(v) for v in msg.get_all(name, failobj=[]) or []]
    return [(n, a) for n, a in getaddresses(raw) if a and "@" in a]


def _decode(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError, ValueError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("windows-1252" if _is_latin(part) else "utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return str(content)


def _is_latin(part: Message) -> bool:
    charset = (part.get_content_charset() or "").lower()
    return charset in {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def html_to_text(html: str) -> str:
    """A readable plain text of an HTML body, for messages that have no text part."""
    text = re.sub(r"<\s*(br|/p|/div|/tr|/h\d|/li)[^>]*>", "\n", html, flags=re.IGNORECASE)
    text = unescape(_TAG.sub("", _COMMENT.sub("", text))).replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANKS.sub("\n\n", text).strip()


def _filename(part: Message, index: int) -> str:
    name = part.get_filename()
    if name:
        return str(name)
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        return f"forwarded-message-{index}.eml"
    if ctype == "text/calendar":
        return f"invitation-{index}.ics"
    extension = {
        "image/png": "png",
        "image/jpeg": "jpg",
        "image/gif": "gif",
        "application/pdf": "pdf",
        "text/plain": "txt",
        "text/html": "html",
    }.get(ctype, "bin")
    return f"part-{index}.{extension}"


def _content_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) else inner
        return bytes(inner_msg.as_bytes(policy=policy.default.clone(linesep="\r\n")))
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _walk(msg: Message, skip: set[int]) -> list[Message]:
    """Leaf parts to keep as attachments, not descending into forwarded messages."""
    leaves: list[Message] = []
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop(0)
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            stack[0:0] = list(part.get_payload())  # type: ignore[arg-type]
        elif id(part) not in skip:
            leaves.append(part)
    return leaves


def _bounce_details(msg: Message) -> tuple[list[str], list[str]]:
    recipients: list[str] = []
    ids: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in part.get_payload() or []:
                for name in ("Final-Recipient", "Original-Recipient"):
                    value = block.get(name) if isinstance(block, Message) else None
                    if value and ";" in str(value):
                        recipients.append(str(value).split(";", 1)[1].strip().lower())
        elif ctype in {"message/rfc822", "text/rfc822-headers"}:
            inner: Message | None
            if ctype == "message/rfc822":
                payload = part.get_payload()
                inner = payload[0] if isinstance(payload, list) and payload else None
            else:
                inner = _PARSER.parsebytes(part.get_payload(decode=True) or b"", headersonly=True)
            if inner is not None:
                ids += mail_rules.message_ids(_header(inner, "Message-ID"))
    return list(dict.fromkeys(recipients)), list(dict.fromkeys(ids))


def parse(raw: bytes) -> ParsedMail:
    """Read one message. Raises ``Unparseable`` when it has no headers or no sender to file it by."""
    if not raw or not raw.strip():
        raise Unparseable("The message is empty.")
    try:
        msg = _PARSER.parsebytes(raw)
    except Exception as exc:
        raise Unparseable(f"The message could not be read: {exc}") from exc
    if not list(msg.keys()):
        raise Unparseable("The message has no headers.")
    raw_headers: dict[str, str] = {}
    for name, value in msg.raw_items():
        raw_headers.setdefault(name.lower(), " ".join(str(value).split()))
    plain = _plain_sender(raw_headers)
    senders = (
        [plain] if plain else _addresses(msg, "From") or _addresses(msg, "Sender") or _addresses(msg, "Return-Path")
    )
    if not senders:
        raise Unparseable("The message has no sender address (From).")
    sender_name, sender = senders[0]
    if not _ADDRESS.fullmatch(sender):
        # A broken From header ("Name <a@b" with a stray quote): take the address inside it.
        found = _ADDRESS.search(sender) or _ADDRESS.search(_header(msg, "From"))
        if found is None:
            raise Unparseable(f"The sender address cannot be read: {sender[:100]}")
        sender_name, sender = "", found.group(0)
    headers = {name: value for name, value in raw_headers.items() if name in _FLAG_HEADERS}
    try:
        body_part = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
        html_part = msg.get_body(preferencelist=("html",))  # type: ignore[attr-defined]
    except Exception as exc:
        raise Unparseable(f"The message structure could not be read: {exc}") from exc
    skip: set[int] = set()
    text = html = ""
    if html_part is not None:
        html = _decode(html_part)
        skip.add(id(html_part))
    if body_part is not None:
        skip.add(id(body_part))
        text = _decode(body_part) if body_part.get_content_type() == "text/plain" else html_to_text(html)
    parts = []
    for index, leaf in enumerate(_walk(msg, skip), start=1):
        ctype = leaf.get_content_type()
        if ctype.startswith("multipart/") or ctype == "message/delivery-status":
            continue
        if ctype == "text/plain" and not leaf.get_filename() and not text:
            text = _decode(leaf)
            continue
        content = _content_bytes(leaf)
        if not content:
            continue
        disposition = (leaf.get_content_disposition() or "").lower()
        filename = _filename(leaf, index)
        if ctype in _CALENDAR or filename.lower().endswith(".ics"):
            # Invitations are text (RFC 5545); kept as a readable text file beside the message.
            filename, ctype = f"{filename.rsplit('.', 1)[0]}.ics.txt", "text/plain"
        parts.append(Part(filename, content, ctype, inline=disposition == "inline" or bool(leaf.get("Content-ID"))))
    message_id = (mail_rules.message_ids(raw_headers.get("message-id", "")) or [""])[0]
    key = message_id or _content_key(raw)
    try:
        date_header = raw_headers.get("date", "")
        date = parsedate_to_datetime(date_header) if date_header else None
        if date is not None and date.tzinfo is None:
            date = None
    except (TypeError, ValueError, IndexError):
        date = None
    ctype = msg.get_content_type()
    report_type = str(msg.get_param("report-type", "") or "")
    recipients, original_ids = _bounce_details(msg) if ctype == "multipart/report" else ([], [])
    return ParsedMail(
        message_id=message_id,
        key=key[:255],
        subject=_plain(raw_headers, "subject")
        if _plain(raw_headers, "subject") is not None
        else _header(msg, "Subject"),
        sender=sender.lower(),
        sender_name=sender_name or "",
        to=[a for _, a in getaddresses([raw_headers.get(n, "") for n in ("to", "cc", "delivered-to")]) if "@" in a],
        date=date,
        in_reply_to=raw_headers.get("in-reply-to", ""),
        references=raw_headers.get("references", ""),
        text=text.replace("\r\n", "\n"),
        html=html,
        parts=parts,
        headers=headers,
        content_type=ctype,
        report_type=report_type,
        bounce_recipients=recipients,
        bounce_message_ids=original_ids,
        defects=[type(d).__name__ for d in msg.defects],
        cc=[a for _, a in getaddresses([raw_headers.get("cc", "")]) if "@" in a],
    )


def _content_key(raw: bytes) -> str:
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    kept = []
    skipping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower().decode("ascii", errors="replace")
        skipping = name in _TRANSIT
        if not skipping:
            kept.append(line)
    return mail_rules.content_key(b"\n".join(kept), body)


def is_address(value: str) -> bool:
    try:
        Address(addr_spec=value)
    except (ValueError, IndexError):
        return False
    return "@" in value


__all__ = ["EmailMessage", "ParsedMail", "Part", "Unparseable", "html_to_text", "parse"]
