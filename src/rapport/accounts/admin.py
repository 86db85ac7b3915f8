"""Django admin for sign-ins, teams and API tokens: configuration, not the desk."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from rapport.accounts.models import ApiToken, Team, User


class EmailMixin:
    """Email addresses are the sign-in name: stored lower-case and unique whatever the case."""

    instance: User
    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("An account already uses this email address.")
        return email


class UserCreationForm(EmailMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "role")


class UserChangeForm(EmailMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "name", "role", "team_names", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser", "teams")
    search_fields = ("email", "name")
    ordering = ("email",)
    filter_horizontal = ("teams", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("name", "role", "teams")}),
        (
            "Access",
            {
                "description": "Desk access follows the role. “Staff status” only opens this admin site.",
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("teams")

    @admin.display(description="Teams")
    def team_names(self, user: User) -> str:
        return ", ".join(team.name for team in user.teams.all())


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "email", "member_count")
    list_filter = ("kind",)
    search_fields = ("name", "email")
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team: Team) -> int:
        return team.member_count  # type: ignore[attr-defined,no-any-return]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are made with `rapport token create` (the secret is shown once); here they can be
    reviewed and revoked, never read."""

    list_display = ("key_id", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("key_id", "name", "user__email", "user__name")
    list_select_related = ("user",)
    fields = ("user", "name", "key_id", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "key_id", "created_at", "last_used_at")
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
