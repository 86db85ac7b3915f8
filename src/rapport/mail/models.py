"""The email channel's own records: mailboxes, every email in or out, the outbox, quarantine,
flagged addresses and editable templates. The case's words stay in ``cases.Message``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.platform import settings_history


@settings_history.track(exclude=("password_encrypted", "last_polled_at", "last_error"))
class Mailbox(models.Model):
    """An IMAP mailbox the desk polls. The password is read from an environment variable named here,
    or kept encrypted at rest (``password_encrypted``, set through admin)."""

    name = models.CharField(max_length=100, unique=True)
    address = models.EmailField(help_text="The address customers write to, e.g. support@example.org.")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    use_tls = models.BooleanField(default=True, help_text="IMAP over TLS (port 993); off for plain IMAP.")
    folder = models.CharField(max_length=255, default="INBOX")
    username = models.CharField(max_length=255)
    password_env = models.CharField(
        max_length=100, blank=True, help_text="Name of the environment variable that holds the password."
    )
    password_encrypted = models.TextField(blank=True, editable=False)
    active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.name


class Disposition(models.TextChoices):
    CASE_CREATED = "case_created", "Opened a case"
    ADDED = "added", "Added to a case"
    AUTOMATED = "automated", "Automated mail (no case, no reply)"
    BOUNCE = "bounce", "Delivery failure"
    OUTBOUND = "outbound", "Sent by us"


class MailMessage(models.Model):
    """One email, in or out, by its identity: the Message-ID, or a content hash when it has none.

    The unique ``key`` makes import idempotent: the same email fetched or imported twice is one row.
    """

    key = models.CharField(max_length=255, unique=True)
    message_id_header = models.CharField(max_length=255, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    outbound = models.BooleanField(default=False)
    disposition = models.CharField(max_length=20, choices=Disposition.choices)
    reason = models.CharField(max_length=200, blank=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField(
        "cases.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="mail"
    )
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The whole email, kept only when something in it could not be stored as a message
    # (an attachment refused or a body cut), so nothing is lost.
    raw = models.FileField(upload_to="mail/raw/", blank=True, max_length=255)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="mail_case_created")]

    def __str__(self) -> str:
        return self.key


class OutboxState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"
    UNCERTAIN = "uncertain", "Interrupted while sending: check before sending again"
    SUPPRESSED = "suppressed", "Not sent (customer's contact preferences)"
    BOUNCED = "bounced", "Bounced (the receiving server refused it)"


class OutboxEmail(models.Model):
    """An email waiting to go, going or gone. A case message has at most one row (``message`` is
    unique), and the state moves queued → sending → sent under a row lock, so it is sent once."""

    message = models.OneToOneField(
        "cases.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    to = models.CharField(max_length=1000)
    cc = models.CharField(max_length=6000, blank=True)
    subject = models.CharField(max_length=998)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id_header = models.CharField(max_length=255, unique=True)
    state = models.CharField(max_length=12, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbox email"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_state_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.state})"


class OutboxAttachment(models.Model):
    """Files for an outbox email that is not a case message (case messages send their own)."""

    email = models.ForeignKey(OutboxEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class QuarantineState(models.TextChoices):
    HELD = "held", "Held"
    RELEASED = "released", "Imported after retry"


class QuarantinedMail(models.Model):
    """An email that could not be filed, with the reason and its raw bytes: never dropped."""

    reason = models.TextField()
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=255, blank=True)
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=QuarantineState.choices, default=QuarantineState.HELD)
    attempts = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "quarantined mail"
        indexes = [models.Index(fields=["state", "-received_at"], name="quarantine_state_received")]

    def __str__(self) -> str:
        return f"Quarantined mail #{self.pk}: {self.reason[:60]}"


class FlaggedAddress(models.Model):
    """An address mail could not be delivered to (a bounce); shown to staff on the customer and
    the case. Cleared by an agent once the customer confirms the address (``FlagClearance``)."""

    address = models.EmailField(unique=True)
    reason = models.TextField()
    bounces = models.PositiveIntegerField(default=1)
    flagged_at = models.DateTimeField()

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class FlagClearance(models.Model):
    """The audit of a cleared flag: which address, how often it had bounced since when, who cleared
    it, when and why. Kept after the flag itself is gone (a later bounce flags the address anew)."""

    address = models.EmailField(db_index=True)
    bounces = models.PositiveIntegerField()
    flagged_at = models.DateTimeField()
    reason = models.TextField(help_text="Why the address had been flagged (the last delivery failure).")
    cleared_at = models.DateTimeField()
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, help_text="How the customer confirmed the address.")

    class Meta:
        ordering = ["-cleared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.address} cleared {self.cleared_at:%Y-%m-%d}"


class TemplateKey(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a new case"
    AGENT_NOTIFICATION = "agent_notification", "Agent notification of a customer reply"


@settings_history.track()
class MailTemplate(models.Model):
    """Wording of automatic emails, editable in admin. Django template syntax; variables:
    ``case``, ``reference``, ``customer``, ``message``, ``agent``."""

    key = models.CharField(max_length=40, choices=TemplateKey.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    def __str__(self) -> str:
        return self.get_key_display()
