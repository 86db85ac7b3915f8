"""Macros (saved replies with actions) and signatures, for agents, teams and everyone."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    PERSONAL = "personal", "Personal"
    TEAM = "team", "Team"
    SHARED = "shared", "Shared"


class Macro(models.Model):
    """A reply with placeholders and the changes that go with it, applied to a case in one step.

    ``personal`` macros belong to ``owner``; ``team`` macros to ``team``; ``shared`` ones to every
    member of staff (who may create and edit which: ``macros.access``). The actions are optional:
    an empty value leaves that field as it is. ``uses`` and ``last_used_at`` are counted when the
    macro is applied, so leaders can see which are used."""

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.PERSONAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="macros")
    # The reply to the customer (Markdown with placeholders) and the internal note; either may be empty.
    reply = models.TextField(blank=True)
    # The reply in Welsh, sent instead to customers who asked to be served in Welsh (empty: the
    # reply above is used for everyone, and the reply box flags it as English to a Welsh speaker).
    reply_cy = models.TextField(blank=True)
    note = models.TextField(blank=True)
    set_status = models.CharField(max_length=30, blank=True)
    set_priority = models.PositiveSmallIntegerField(null=True, blank=True)
    add_tags = models.CharField(max_length=500, blank=True)
    set_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uses = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The picker and the list: shared ones, a person's own, their teams', by name.
            models.Index(fields=["scope", "name", "id"], name="macro_scope_name"),
            models.Index(fields=["owner", "name", "id"], name="macro_owner_name"),
            models.Index(fields=["team", "name", "id"], name="macro_team_name"),
            # Usage, most used first.
            models.Index(fields=["-uses", "-id"], name="macro_uses"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="personal", owner__isnull=False, team__isnull=True)
                    | models.Q(scope="team", team__isnull=False, owner__isnull=True)
                    | models.Q(scope="shared", owner__isnull=True, team__isnull=True)
                ),
                name="macro_scope_holder",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Signature(models.Model):
    """How replies are signed (Markdown): a person's own, or a team's default. A person's own
    signature replaces their team's; with none of their own they sign with their first team's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="signature"
    )
    team = models.OneToOneField(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="signature"
    )
    body = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, team__isnull=True)
                | models.Q(user__isnull=True, team__isnull=False),
                name="signature_one_holder",
            )
        ]

    def __str__(self) -> str:
        return f"signature of {self.user or self.team}"
