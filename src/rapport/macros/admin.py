from django.contrib import admin

from rapport.macros.models import Macro, Signature


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "scope", "team", "owner", "uses", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name",)
    readonly_fields = ("uses", "last_used_at", "created_at", "updated_at")


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "updated_at")
