"""Complaint configuration in Django admin: root causes, authority limits, final response and ADR
settings and letter templates. Complaint records change only through the services (events)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rapport.complaints.models import AdrScheme, AuthorityLimit, Complaint, ComplaintSettings, RootCause
from rapport.customers.admin import ReadOnlyAdmin
from rapport.platform.admin import SettingsHistoryAdmin


@admin.register(RootCause)
class RootCauseAdmin(SettingsHistoryAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active",)
    prepopulated_fields = {"code": ("name",)}


@admin.register(AdrScheme)
class AdrSchemeAdmin(SettingsHistoryAdmin):
    list_display = ("category", "adr_body", "referral_months")
    search_fields = ("category", "adr_body")


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(SettingsHistoryAdmin):
    list_display = ("role", "kind", "limit_pence", "period", "period_limit_pence")
    list_filter = ("kind", "role")


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(SettingsHistoryAdmin):
    fieldsets = (
        ("Final response", {"fields": ("final_response_weeks", "warn_days", "complaints_lead", "checks_from")}),
        ("Letterhead", {"fields": ("organisation_name", "organisation_address", "organisation_contact")}),
        ("Ombudsman or ADR body", {"fields": ("adr_body", "adr_details", "referral_months")}),
        ("Letters", {"fields": ("final_response_template", "deadlock_template")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ComplaintSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """For looking complaints up; they change only through the desk, which records every event."""

    list_display = ("case", "received_at", "product", "level", "outcome", "customer_response", "final_response_at")
    list_filter = ("level", "outcome", "customer_response", "root_cause")
    search_fields = ("product", "summary")
    list_select_related = ("case",)
