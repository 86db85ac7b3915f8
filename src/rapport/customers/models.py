"""Customers: the people, companies, colleagues and departments the desk serves (domain.md §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from rapport.domain import languages
from rapport.domain.case_rules import Channel


class CustomerKind(models.TextChoices):
    PERSON = "person", "Person"
    COMPANY = "company", "Company"
    COLLEAGUE = "colleague", "Colleague (internal)"
    DEPARTMENT = "department", "Department (internal)"


INTERNAL_KINDS = frozenset({CustomerKind.COLLEAGUE, CustomerKind.DEPARTMENT})


class PhoneDigits(models.Func):
    """A phone number as its digits only ("07700 900-123" → "07700900123"), for lookups by number
    however it was written. Literal SQL with no parameters, so the index on it and a query using it
    compile to the same expression on SQLite and PostgreSQL and the index is used."""

    template = (
        "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(%(expressions)s, ' ', ''), '-', ''), '(', ''), ')', ''),"
        " '+', ''), '.', '')"
    )
    output_field = models.CharField()


# A customer's preferred language, as its ISO 639-1 code (``rapport.domain.languages``).
LANGUAGE_CHOICES = list(languages.LANGUAGES)

CHANNEL_CHOICES = [(c.value, c.value.replace("_", " ").capitalize()) for c in Channel]


class Customer(models.Model):
    kind = models.CharField(max_length=20, choices=CustomerKind.choices, default=CustomerKind.PERSON)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    preferred_channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default=Channel.EMAIL)
    notes = models.TextField(blank=True)
    # The language every message, letter and survey to them is written in, and that routing may
    # match to agents who speak it; set by the customer in the portal or by staff.
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default=languages.ENGLISH)
    # A portal sign-in, when the customer has one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="customer"
    )
    # Loyalty tier (set by the feedback app from customer value; SLA policies may choose by it).
    tier = models.CharField(max_length=30, blank=True, db_index=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Set when the person's identity was erased (UK GDPR Art 17): the row stays for statistics.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Set when this record was merged into another for the same person: it stays as a pointer.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(Lower("email"), name="customer_email_ci"),
            models.Index(fields=["name", "id"], name="customer_name"),
            models.Index(fields=["kind", "name"], name="customer_kind_name"),
            # Other people named in a subject access export are looked up by these (privacy).
            models.Index(Lower("name"), name="customer_name_ci"),
            models.Index(PhoneDigits("phone"), name="customer_phone_digits"),
            # The API's updated_since and created_since filters, and exports in that order.
            models.Index(fields=["updated_at", "id"], name="customer_updated"),
            models.Index(fields=["created_at", "id"], name="customer_created"),
            # Routing and reports pick out the customers served in Welsh.
            models.Index(fields=["language"], name="customer_language"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.kind in INTERNAL_KINDS
