"""Configuration the organisation edits: calendars, policies (and OLAs), escalation rules.
Clocks, pauses and escalations are records of what happened: read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rapport.platform.admin import SettingsHistoryAdmin
from rapport.sla.models import Calendar, Clock, Escalation, EscalationRule, Pause, Policy, SlaSettings


@admin.register(SlaSettings)
class SlaSettingsAdmin(SettingsHistoryAdmin):
    """One row: added by the migration (or here, once, if it was removed), never deleted."""

    list_display = ("__str__", "breaching_soon")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SlaSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SlaSettings, form: Any, change: bool) -> None:
        obj.pk = 1  # the one row
        super().save_model(request, obj, form, change)


@admin.register(Calendar)
class CalendarAdmin(SettingsHistoryAdmin):
    list_display = ("name", "tz", "holidays")


@admin.register(Policy)
class PolicyAdmin(SettingsHistoryAdmin):
    list_display = (
        "name",
        "is_active",
        "internal",
        "priority",
        "tier",
        "channel",
        "case_type",
        "rank",
        "first_response",
        "next_response",
        "resolution",
        "warn_percent",
        "calendar",
    )
    list_filter = ("is_active", "internal", "calendar")


@admin.register(EscalationRule)
class EscalationRuleAdmin(SettingsHistoryAdmin):
    list_display = ("name", "is_active", "trigger", "action", "policy", "target", "reassign_to")
    list_filter = ("is_active", "trigger", "action")


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Clock)
class ClockAdmin(ReadOnly):
    list_display = ("case", "target", "policy", "started_at", "due_at", "breached_at", "stopped_at")
    list_filter = ("target", "policy")
    list_select_related = ("case", "policy")
    raw_id_fields = ("case",)


@admin.register(Pause)
class PauseAdmin(ReadOnly):
    list_display = ("case", "status", "started_at", "ended_at")
    list_select_related = ("case",)


@admin.register(Escalation)
class EscalationAdmin(ReadOnly):
    list_display = ("rule", "clock", "at", "outcome")
    list_select_related = ("rule", "clock__case")
