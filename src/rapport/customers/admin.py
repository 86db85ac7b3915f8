"""Django admin for customer records: read-only here.

Customer changes go through the desk (customers.services) so the search index and the audit of
who changed what stay right; the admin is for looking things up.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from rapport.customers.models import Customer


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "organisation", "email", "phone", "preferred_channel", "created_at")
    list_filter = ("kind", "preferred_channel")
    search_fields = ("name", "organisation", "email", "phone")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    ordering = ("name", "id")

    def view_on_site(self, customer: Customer) -> str:
        return reverse("customers:detail", args=[customer.pk])
