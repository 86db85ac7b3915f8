"""Django admin: the history of settings kept for every tracked model, and read as a list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from rapport.platform import settings_history
from rapport.platform.models import SettingChange, Via

_BEFORE = "_setting_history_before"


class SettingsHistoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Keeps a ``SettingChange`` for each add, change and delete made in admin.

    The values before are read from the database in ``save_model`` (the form has already changed
    the instance); the values after in ``save_related``, once many-to-many fields are saved too.
    Admin wraps both in one transaction, so the change and its history commit together."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        setattr(obj, _BEFORE, settings_history.stored(obj) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:  # type: ignore[type-arg]
        super().save_related(request, form, formsets, change)
        obj = form.instance
        settings_history.setting_change_record(
            actor=request.user,
            instance=obj,
            before=getattr(obj, _BEFORE, None),
            after=settings_history.snapshot(obj),
            via=Via.ADMIN,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before, pk = settings_history.snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        settings_history.setting_change_record(
            actor=request.user, instance=obj, before=before, after=None, via=Via.ADMIN
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        doomed = [(obj, obj.pk, settings_history.snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, pk, before in doomed:
            obj.pk = pk
            settings_history.setting_change_record(
                actor=request.user, instance=obj, before=before, after=None, via=Via.ADMIN
            )


@admin.register(SettingChange)
class SettingChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the history is written by the changes themselves, never edited. Shown to admin
    users with the "view setting change" permission (managers are given it through a group)."""

    list_display = ("at", "object_repr", "model", "action", "changes", "actor_name", "via")
    list_filter = ("model", "action", "via")
    search_fields = ("object_repr", "actor_name", "reason")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    @admin.display(description="Before → after")
    def changes(self, obj: SettingChange) -> str:
        before, after = obj.before or {}, obj.after or {}
        return format_html_join(
            "",
            "<div><b>{}</b>: {} → {}</div>",
            ((name, before.get(name, "—"), after.get(name, "—")) for name in obj.fields),
        ) or format_html("{}", "—")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
