"""Admin for the email channel: mailboxes (with a write-only password), templates, the outbox with
"send again", and quarantined mail with "retry"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rapport.mail import access as mail_policy
from rapport.mail import credentials, outbound
from rapport.mail.inbound import quarantine_retry
from rapport.mail.models import (
    FlagClearance,
    FlaggedAddress,
    Mailbox,
    MailMessage,
    MailTemplate,
    OutboxEmail,
    QuarantinedMail,
)
from rapport.platform.admin import SettingsHistoryAdmin


class MailboxForm(forms.ModelForm):  # type: ignore[type-arg]
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted. Leave blank to keep the current one; the environment variable wins if set.",
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "host",
            "port",
            "use_tls",
            "folder",
            "username",
            "password_env",
            "password",
            "active",
        ]

    def save(self, commit: bool = True) -> Mailbox:
        mailbox: Mailbox = super().save(commit=False)
        if self.cleaned_data.get("password"):
            mailbox.password_encrypted = credentials.encrypt(self.cleaned_data["password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(SettingsHistoryAdmin):
    form = MailboxForm
    list_display = ["name", "address", "host", "folder", "active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]


@admin.register(MailTemplate)
class MailTemplateAdmin(SettingsHistoryAdmin):
    list_display = ["key", "subject"]


@admin.register(FlagClearance)
class FlagClearanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit of cleared flags: read-only."""

    list_display = ["address", "cleared_at", "cleared_by", "note", "bounces", "flagged_at"]
    search_fields = ["address"]
    readonly_fields = ["address", "bounces", "flagged_at", "reason", "cleared_at", "cleared_by", "note"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FlaggedAddress)
class FlaggedAddressAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["address", "bounces", "flagged_at", "reason"]
    search_fields = ["address"]


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "disposition", "sender", "subject", "case"]
    list_filter = ["disposition", "outbound"]
    search_fields = ["message_id_header", "sender", "subject"]
    raw_id_fields = ["case", "message", "mailbox"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "to", "subject", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["to", "subject", "message_id_header"]
    raw_id_fields = ["message"]
    actions = ["send_again"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send again (failed or interrupted emails)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        mail_policy.require_manage_mail(request.user)
        count = sum(outbound.outbox_requeue(email=email, now=timezone.now()) for email in queryset)
        self.message_user(request, f"{count} emails queued to send again.", messages.SUCCESS)


@admin.register(QuarantinedMail)
class QuarantinedMailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["received_at", "state", "reason", "source", "attempts"]
    list_filter = ["state"]
    exclude = ["raw"]
    readonly_fields = ["reason", "sha256", "source", "mailbox", "state", "attempts", "received_at", "released_at"]
    actions = ["retry"]

    @admin.action(description="Retry filing these emails")
    def retry(self, request: HttpRequest, queryset: QuerySet[QuarantinedMail]) -> None:
        mail_policy.require_manage_mail(request.user)
        results = [quarantine_retry(held=held, now=timezone.now()) for held in queryset]
        released = sum(r.disposition != "quarantined" for r in results)
        self.message_user(request, f"{released} of {len(results)} emails filed; the rest stay quarantined.")
