"""Staff and customer sign-ins, teams and API tokens."""

from __future__ import annotations

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    TEAM_LEADER = "team_leader", "Team leader"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
ALL_CASES_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


class TeamKind(models.TextChoices):
    FRONT_LINE = "front_line", "Front line"
    BACK_OFFICE = "back_office", "Back office"


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.FRONT_LINE)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="team_updated")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff in a role, or a customer using the portal."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    is_active = models.BooleanField(default=True)
    # `is_staff` only opens Django admin (configuration); desk access follows `role`.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the name, role, teams or active flag last changed (the API's updated_since).
    updated_at = models.DateTimeField(default=timezone.now)
    # Single-key shortcuts as the person set them (``domain.shortcuts``; WCAG 2.1.4): read with the
    # signed-in user, so the desk's pages pay no query for them. Empty means the defaults.
    shortcuts = models.JSONField(default=dict, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="user_updated"),
            models.Index(fields=["date_joined", "id"], name="user_joined"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_desk_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 digest of the secret is stored.

    Tokens carry 256 bits of randomness, so a fast digest is safe to compare; a slow password
    hash would cost every API call hundreds of milliseconds for no gain.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_id = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_id} ({self.user})"
