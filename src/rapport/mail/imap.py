"""Fetching mail over IMAP. Each message is filed and committed before it is marked \\Seen, so a
worker that dies half-way loses nothing (unseen mail is fetched again) and duplicates nothing
(filing is idempotent by Message-ID or content hash)."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from rapport.mail import credentials
from rapport.mail.inbound import mail_receive, own_addresses
from rapport.mail.models import Mailbox
from rapport.platform.errors import RapportError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollResult:
    received: int = 0
    duplicates: int = 0
    quarantined: int = 0
    error: str = ""


def _connect(mailbox: Mailbox, timeout: float) -> imaplib.IMAP4:
    if mailbox.use_tls:
        return imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(), timeout=timeout)
    return imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailbox_poll(*, mailbox: Mailbox, now: datetime, limit: int = 500, timeout: float = 30.0) -> PollResult:
    """Fetch up to ``limit`` unseen messages, one at a time (memory stays flat for large mail)."""
    received = duplicates = quarantined = 0
    try:
        password = credentials.password_for(mailbox)
        conn = _connect(mailbox, timeout)
    except (OSError, imaplib.IMAP4.error, RapportError) as exc:
        return _failed(mailbox, now, exc)
    try:
        conn.login(mailbox.username, password)
        status, _ = conn.select(_quoted(mailbox.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder}")
        status, data = conn.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
        uids = (data[0] or b"").split()[:limit] if status == "OK" and data else []
        ours = own_addresses()
        for uid in uids:
            status, fetched = conn.uid("FETCH", uid.decode(), "(INTERNALDATE BODY.PEEK[])")
            item = next((item for item in fetched or [] if isinstance(item, tuple)), None)
            if status != "OK" or item is None:
                continue
            result = mail_receive(
                raw=item[1],
                now=now,
                mailbox=mailbox,
                source=f"imap:{mailbox.name}:{uid.decode()}",
                ours=ours,
                arrived=internal_date(item[0]),
            )
            # Only now, after the commit inside mail_receive, is the message marked as read.
            conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
            if result.disposition == "duplicate":
                duplicates += 1
            elif result.disposition == "quarantined":
                quarantined += 1
            else:
                received += 1
    except (OSError, imaplib.IMAP4.error) as exc:
        return _failed(mailbox, now, exc, PollResult(received, duplicates, quarantined))
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=now, last_error="")
    return PollResult(received, duplicates, quarantined)


def internal_date(envelope: bytes) -> datetime | None:
    """When the IMAP server received the message (INTERNALDATE, RFC 3501 §2.3.3), from the FETCH
    response line; None when the server did not say."""
    moment = imaplib.Internaldate2tuple(envelope)
    if moment is None:
        return None
    return datetime.fromtimestamp(time.mktime(moment), tz=UTC)


def _failed(mailbox: Mailbox, now: datetime, exc: Exception, partial: PollResult | None = None) -> PollResult:
    message = f"{type(exc).__name__}: {exc}"[:1000]
    log.warning("polling mailbox %s failed: %s", mailbox.name, message)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=now, last_error=message)
    base = partial or PollResult()
    return PollResult(base.received, base.duplicates, base.quarantined, error=message)
