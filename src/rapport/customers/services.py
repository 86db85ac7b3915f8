"""Writes to customer records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Role, User
from rapport.customers.models import Customer, CustomerKind
from rapport.domain import languages
from rapport.domain.case_rules import Channel
from rapport.domain.mail_rules import domain_of
from rapport.platform.errors import FieldError, Forbidden, NotFound, Refused

NAME_REQUIRED = "Give the customer's name."
LANGUAGE_UNKNOWN = f"Choose one of: {', '.join(languages.CODES_IN_ORDER)}."
FIELDS = ("kind", "name", "organisation", "email", "phone", "address", "preferred_channel", "notes", "language")
_LIMITS = {"name": 200, "organisation": 200, "email": 254, "phone": 40, "address": 2000, "notes": 10000}


def _clean(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    unknown = sorted(set(values) - set(FIELDS))
    for name in unknown:
        errors[name] = ["This field cannot be set."]
    for name in FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.setdefault(name, []).append("Give text.")
            continue
        value = value.strip()
        if name in _LIMITS and len(value) > _LIMITS[name]:
            errors.setdefault(name, []).append(f"Keep this to {_LIMITS[name]} characters or fewer.")
            continue
        if name == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors.setdefault(name, []).append("Enter a valid email address.")
                continue
            value = value.lower()
        if name == "kind" and value not in CustomerKind.values:
            errors.setdefault(name, []).append(f"Choose one of: {', '.join(CustomerKind.values)}.")
            continue
        if name == "preferred_channel" and value not in Channel.__members__.values():
            errors.setdefault(name, []).append(f"Choose one of: {', '.join(c.value for c in Channel)}.")
            continue
        if name == "language" and value not in languages.CODES:
            errors.setdefault(name, []).append(LANGUAGE_UNKNOWN)
            continue
        if name == "phone" and value and not all(ch.isdigit() or ch in "+ ()-" for ch in value):
            errors.setdefault(name, []).append("Use digits, spaces, brackets, + and - only.")
            continue
        clean[name] = value
    if not partial and not clean.get("name"):
        errors.setdefault("name", []).append(NAME_REQUIRED)
    if partial and "name" in clean and not clean["name"]:
        errors.setdefault("name", []).append(NAME_REQUIRED)
    if errors:
        raise FieldError(errors)
    return clean


def customer_create(*, actor: User, now: datetime | None = None, **values: Any) -> Customer:
    if not policy.can_manage_customers(actor):
        raise Forbidden("Only staff can add customers.")
    clean = _clean(values, partial=False)
    now = now or timezone.now()
    from rapport.cases import search  # search indexes customers too; imported here to keep apps acyclic

    with transaction.atomic():
        customer = Customer.objects.create(created_at=now, updated_at=now, **clean)
        search.index_new([search.customer_document(customer)])
    return customer


def customers_for_senders(
    *, senders: Mapping[str, str], internal_domains: Iterable[str], now: datetime
) -> dict[str, Customer]:
    """The customer record of each sender of mail (``{address: display name}``), created for a new
    address: a colleague when the address is in one of ``internal_domains``, a person otherwise.
    Keyed by the address in lower case; the oldest record wins when an address has several. One
    query, and one insert for the new ones, whatever the number of senders."""
    from rapport.cases import search  # search indexes customers too; imported here to keep apps acyclic

    addresses = {address.lower(): name for address, name in senders.items()}
    found: dict[str, Customer] = {}
    # Unordered so the lookup walks the lower(email) index.
    for customer in Customer.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=addresses).order_by():
        held = found.get(customer.email_ci)
        if held is None or customer.pk < held.pk:
            found[customer.email_ci] = customer
    internal = {d.lower() for d in internal_domains}
    new = {
        address: Customer(
            kind=CustomerKind.COLLEAGUE if domain_of(address) in internal else CustomerKind.PERSON,
            name=" ".join(name.split())[:200] or address,
            email=address[:254],
            preferred_channel=Channel.EMAIL,
            created_at=now,
            updated_at=now,
        )
        for address, name in addresses.items()
        if address not in found
    }
    if new:
        Customer.objects.bulk_create(list(new.values()))
        search.index_new([search.customer_document(c) for c in new.values()])
        found.update(new)
    return found


def customer_update(*, actor: User, customer_id: int, now: datetime | None = None, **values: Any) -> Customer:
    """Change a customer's record; refused while another capability holds it (``extensions.record_guards``)."""
    if not policy.can_manage_customers(actor):
        raise Forbidden("Only staff can change customer records.")
    clean = _clean(values, partial=True)
    from rapport.cases import search

    with transaction.atomic():
        customer = policy.access_customer(actor, customer_id)
        refusals = extensions.record_refusals(customer)
        if refusals:
            raise Refused(" ".join(refusals))
        was_internal = customer.is_internal
        for name, value in clean.items():
            setattr(customer, name, value)
        customer.updated_at = now or timezone.now()
        customer.save()
        search.index([search.customer_document(customer)])
        if customer.is_internal != was_internal:
            # Internal customers are measured against internal targets (OLAs), others against SLAs.
            change = "internal customer" if customer.is_internal else "external customer"
            extensions.customers_changed([customer.pk], change, customer.updated_at)
    return customer


def customer_portal_access(*, actor: User, customer_id: int, password: str) -> User:
    """Give a customer a portal sign-in with their email address."""
    if not policy.can_manage_customers(actor):
        raise Forbidden("Only staff can give portal access.")
    customer = policy.access_customer(actor, customer_id)
    if not customer.email:
        raise FieldError(email="The customer needs an email address to sign in.")
    if customer.user_id:
        raise FieldError(email="This customer can already sign in.")
    if User.objects.filter(email__iexact=customer.email).exists():
        raise FieldError(email="Another account already uses this email address.")
    with transaction.atomic():
        user = User.objects.create_user(customer.email, password, name=customer.name, role=Role.CUSTOMER)
        customer.user = user
        customer.save(update_fields=["user"])
    return user


ONLY_STAFF_ERASURE = "Only staff can ask for a customer's data to be erased."
NO_ERASURE_HANDLER = "Erasure requests cannot be started here: the privacy app is not installed."
ALREADY_ERASED = "This person's data has already been erased."
MERGED_RECORD = "This record was merged into customer {into}: ask there."


def customer_erasure_request(
    *, actor: User, customer_id: int, now: datetime | None = None
) -> extensions.ErasureRequestStarted:
    """Start a request to erase the customer (UK GDPR Art 17) instead of deleting the record: the
    request runs its course (deadline, legal holds, then erasure) through the app that handles it."""
    if not policy.can_manage_customers(actor):
        raise Forbidden(ONLY_STAFF_ERASURE)
    customer = policy.access_customer(actor, customer_id, for_write=True)
    if customer.erased_at is not None:
        raise Refused(ALREADY_ERASED)
    if customer.merged_into_id is not None:
        raise Refused(MERGED_RECORD.format(into=customer.merged_into_id))
    started = extensions.erasure_request_start(actor, customer, now or timezone.now())
    if started is None:
        raise Refused(NO_ERASURE_HANDLER)
    return started


def customer_language_set(*, actor: User, customer_id: int, language: str, now: datetime | None = None) -> Customer:
    """Record the language a customer wants to be served in: the customer themselves from the
    language switch on any portal page, or staff. Every later message, letter and survey to them
    is written in it (``rapport.customers.language``)."""
    if language not in languages.CODES:
        raise FieldError(language=LANGUAGE_UNKNOWN)
    with transaction.atomic():
        customer = policy.access_customer(actor, customer_id, for_write=True)
        if not policy.is_staff(actor) and customer.user_id != getattr(actor, "pk", None):
            raise NotFound(policy.NO_CUSTOMER)
        if customer.language != language:
            customer.language = language
            customer.updated_at = now or timezone.now()
            customer.save(update_fields=["language", "updated_at"])
    return customer


def customer_language_choose(
    *, actor: User | AnonymousUser, language: str, now: datetime | None = None
) -> Customer | None:
    """The language switch: a signed-in customer's choice is saved on their record; a visitor's
    or a member of staff's is not (the switch keeps it in a cookie). Returns the record saved."""
    if language not in languages.CODES:
        raise FieldError(language=LANGUAGE_UNKNOWN)
    if not actor.is_authenticated or policy.is_staff(actor):
        return None
    assert isinstance(actor, User)
    own = policy.visible_customers(actor).values_list("pk", flat=True).first()
    if own is None:
        return None
    return customer_language_set(actor=actor, customer_id=own, language=language, now=now)
