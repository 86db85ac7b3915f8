"""Retention schedules are configuration (admins set them); runs and holds are shown read-only
(holds are placed and released on the privacy page, where the policy is asked)."""

from __future__ import annotations

from django.contrib import admin

from rapport.customers.admin import ReadOnlyAdmin
from rapport.platform.admin import SettingsHistoryAdmin
from rapport.privacy.models import LegalHold, RetentionRun, RetentionSchedule


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(SettingsHistoryAdmin):
    list_display = ("category", "keep_days", "active", "apply", "basis")
    list_editable = ("keep_days", "active", "apply")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("at", "dry_run", "total")


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ("customer", "reason", "placed_at", "released_at")
