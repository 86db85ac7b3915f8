"""What the email channel removes when a person is erased (UK GDPR Art 17).

The privacy app blanks the desk's own rows and then sweeps every text column; the email channel
also holds copies in forms a text sweep cannot reach: the raw emails kept beside messages (files),
the outbox's copies with their headers and attachments (bytes), and quarantined mail (bytes). For
the person's cases those go entirely; quarantined mail from or to their address goes too. Counts,
dates and states stay for statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from rapport.customers.models import Customer
from rapport.mail.models import (
    FlagClearance,
    FlaggedAddress,
    MailMessage,
    OutboxAttachment,
    OutboxEmail,
    QuarantinedMail,
)

ERASED = "[erased]"


def _notifications_scrub(customer: Customer, scrub: Callable[[str], str]) -> int:
    """Emails that are not case messages (``notify.email_send``: letters, notifications) are free
    text that may quote the person (a survey comment with their address): one that names them or is
    addressed to them keeps only a scrubbed subject; its text and files go."""
    address = (customer.email or "").lower()
    changed: list[OutboxEmail] = []
    for email in OutboxEmail.objects.filter(message__isnull=True).iterator(chunk_size=500):
        addressed = bool(address) and address in email.to.lower()
        named = any(scrub(text) != text for text in (email.subject, email.text, email.html))
        if not (addressed or named):
            continue
        if addressed:
            email.to, email.headers = ERASED, {}
        email.subject, email.text, email.html = scrub(email.subject), ERASED, ""
        changed.append(email)
    OutboxEmail.objects.bulk_update(changed, ["to", "subject", "text", "html", "headers"], batch_size=500)
    return len(changed) + OutboxAttachment.objects.filter(email__in=[e.pk for e in changed]).delete()[0]


def customer_mail_erase(customer: Customer, case_ids: Sequence[int], scrub: Callable[[str], str]) -> dict[str, int]:
    """Remove ``customer``'s identity from the email copies of their cases; how many rows changed."""
    changed = 0
    rows = list(MailMessage.objects.filter(case_id__in=case_ids))
    files = [row.raw.name for row in rows if row.raw]
    for row in rows:
        row.sender = ERASED if row.sender else ""
        row.subject = scrub(row.subject)[:200]
        row.raw = ""
    MailMessage.objects.bulk_update(rows, ["sender", "subject", "raw"], batch_size=500)
    changed += len(rows)

    outbox = list(OutboxEmail.objects.filter(message__case_id__in=case_ids))
    for email in outbox:
        email.to = ERASED
        email.cc = ""  # the people copied on their replies (CC) go with them
        email.subject = scrub(email.subject)
        email.text = scrub(email.text)
        email.html = scrub(email.html)
        email.headers = {}
    OutboxEmail.objects.bulk_update(outbox, ["to", "cc", "subject", "text", "html", "headers"], batch_size=500)
    changed += len(outbox)
    changed += OutboxAttachment.objects.filter(email__in=[e.pk for e in outbox]).delete()[0]
    changed += _notifications_scrub(customer, scrub)

    if customer.email:
        address = customer.email.encode()
        # Raw bytes cannot be searched in SQL on every database: the quarantine is small and short-lived.
        doomed = [q.pk for q in QuarantinedMail.objects.only("pk", "raw") if address.lower() in bytes(q.raw).lower()]
        changed += QuarantinedMail.objects.filter(Q(pk__in=doomed)).delete()[0]
        # The address's bounce flag and the record of its clearances name the person too.
        changed += FlaggedAddress.objects.filter(address=customer.email.lower()).delete()[0]
        changed += FlagClearance.objects.filter(address=customer.email.lower()).delete()[0]

    def delete_files() -> None:
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(delete_files)
    return {"email copies": changed, "raw emails": len(files)}
