"""Live chat: the sites a widget may be embedded in, each chat (a case on the chat channel), the
order of its messages, and each agent's chat capacity and availability (domain.md §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.cases.models import Case, Message
from rapport.customers.models import Customer


class ChatSite(models.Model):
    """A website the widget is embedded in: its public key (in the ``<script>`` tag), the origins
    allowed to talk to it, the team its chats go to, opening hours and the first-answer target."""

    name = models.CharField(max_length=100)
    key = models.SlugField(max_length=40, unique=True, help_text="Public: goes in the script tag.")
    allowed_origins = models.TextField(
        blank=True, help_text="One origin a line, e.g. https://www.example.co.uk (scheme, host and port)."
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hours = models.JSONField(
        default=list,
        blank=True,
        help_text='Opening hours, local time: [[0, "09:00", "17:00"], …] with 0 for Monday. Empty: always open.',
    )
    first_answer_seconds = models.PositiveIntegerField(default=60, help_text="Target time to first answer.")
    adjustments = models.JSONField(
        default=list,
        blank=True,
        help_text="Adjustments the desk supports in chat, e.g. ['Extra time', 'Plain English'].",
    )
    consent_text = models.TextField(
        default="We keep this conversation with your case so we can help you. See our privacy notice.",
    )
    welsh = models.BooleanField(default=False, help_text="Chats in Welsh are offered.")
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip() for line in self.allowed_origins.splitlines() if line.strip()]


class ChatStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Chat(models.Model):
    """One conversation. Its transcript is its case's timeline (``Message`` rows written through
    the case services); ``ChatLine`` only orders them and remembers each client id."""

    site = models.ForeignKey(ChatSite, on_delete=models.PROTECT, related_name="chats")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="chat")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="chats")
    token_digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=ChatStatus.choices, default=ChatStatus.WAITING)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=5, default="en")
    topic = models.CharField(max_length=200)
    adjustment = models.CharField(max_length=100, blank=True)
    identity_verified = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    first_answer_due = models.DateTimeField()
    breached_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    routing_reason = models.CharField(max_length=200, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    csat_comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "started_at"], name="chat_status_started"),
            models.Index(fields=["agent", "status"], name="chat_agent_status"),
            models.Index(fields=["-started_at", "-id"], name="chat_started"),
            models.Index(fields=["site", "-started_at"], name="chat_site_started"),
        ]

    def __str__(self) -> str:
        return f"Chat {self.pk} ({self.status})"

    @property
    def waited_seconds(self) -> int | None:
        """Seconds from the start to the first answer; None while unanswered."""
        if self.answered_at is None:
            return None
        return max(0, int((self.answered_at - self.started_at).total_seconds()))


class Sender(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    NOTE = "note", "Internal note"


class ChatLine(models.Model):
    """A message's place in its chat (``seq``, from 1) and the client id it was sent with, unique per
    chat so a resent message is filed once. Notes have a line too but never reach the customer."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="lines")
    seq = models.PositiveIntegerField()
    client_id = models.CharField(max_length=64)
    sender = models.CharField(max_length=10, choices=Sender.choices)
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="chat_line")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "seq"], name="chatline_seq"),
            models.UniqueConstraint(fields=["chat", "client_id"], name="chatline_client_id"),
        ]

    def __str__(self) -> str:
        return f"{self.chat_id}#{self.seq}"


class AgentChat(models.Model):
    """An agent's chat settings: how many chats at once, whether they take chats now, the languages
    they chat in, and when their console was last connected."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_settings")
    capacity = models.PositiveSmallIntegerField(default=3)
    available = models.BooleanField(default=False)
    languages = models.CharField(max_length=20, default="en", help_text="Comma-separated, e.g. en,cy")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["available", "seen_at"], name="agentchat_available")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.capacity}"
