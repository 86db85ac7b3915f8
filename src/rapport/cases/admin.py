"""Django admin for cases: tags are configuration; the case record itself is read-only.

Every change to a case must leave an event (architecture.md), which only the services write, so
the admin shows cases, messages and their timeline without offering to edit them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from rapport.cases.models import Attachment, Case, CaseEvent, Message, SearchDocument, Tag
from rapport.customers.admin import ReadOnlyAdmin


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name",)
    search_fields = ("name",)


class MessageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Message
    fields = ("created_at", "kind", "channel", "author", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseEvent
    fields = ("at", "actor", "kind", "field", "before", "after")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "subject",
        "customer",
        "status",
        "priority",
        "type",
        "channel",
        "owner",
        "team",
        "updated_at",
    )
    list_filter = ("status", "priority", "type", "channel", "team")
    search_fields = ("subject", "customer__name", "customer__email")
    list_select_related = ("customer", "owner", "team")
    date_hierarchy = "created_at"
    inlines = (MessageInline, CaseEventInline)

    @admin.display(description="Reference", ordering="id")
    def reference(self, case: Case) -> str:
        return case.reference

    def view_on_site(self, case: Case) -> str:
        return reverse("cases:detail", args=[case.reference])


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "kind", "channel", "author", "created_at")
    list_filter = ("kind", "channel")
    search_fields = ("body",)
    list_select_related = ("case", "author")
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("filename", "content_type", "size", "message", "created_at")
    list_filter = ("content_type",)
    search_fields = ("filename", "sha256")
    list_select_related = ("message",)

    def view_on_site(self, attachment: Attachment) -> str:
        return reverse("attachment", args=[attachment.pk])


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "case", "actor", "kind", "field", "before", "after")
    list_filter = ("kind", "field")
    list_select_related = ("case", "actor")
    date_hierarchy = "at"


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    list_display = ("kind", "object_id", "title", "internal")
    list_filter = ("kind", "internal")
    search_fields = ("title",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SearchDocument]:
        return super().get_queryset(request).defer("body")
