"""Feedback configuration in Django admin: survey settings, loyalty tiers, staff measures.
Invitations, answers and follow-ups are records written by the services, shown read-only."""

from __future__ import annotations

from django.contrib import admin

from rapport.customers.admin import ReadOnlyAdmin
from rapport.feedback.models import (
    FeedbackSettings,
    FollowUp,
    LoyaltyTier,
    Order,
    StaffMeasure,
    SurveyAnswer,
    SurveyInvitation,
)
from rapport.platform.admin import SettingsHistoryAdmin


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(SettingsHistoryAdmin):
    list_display = ("__str__", "delay_minutes", "expiry_days", "reminder_days", "margin", "retention", "discount_rate")


@admin.register(LoyaltyTier)
class LoyaltyTierAdmin(SettingsHistoryAdmin):
    list_display = ("label", "name", "threshold_pence", "benefits")


@admin.register(StaffMeasure)
class StaffMeasureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "month", "staff_survey_score", "training_hours", "headcount")
    list_filter = ("team",)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("reference", "customer", "placed_at", "amount_pence")
    raw_id_fields = ("customer",)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "customer", "case", "status", "sent_at", "answered_at")
    list_filter = ("kind", "status")


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "score", "customer", "team", "answered_at")
    list_filter = ("kind",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("reason", "team", "created_at", "done_at")
