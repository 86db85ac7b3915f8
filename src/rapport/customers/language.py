"""Serving a customer in their language: the catalogue to activate for them, on a page or around
a message, letter or survey written to them (docs/languages.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpRequest
from django.utils import translation

from rapport.customers.models import Customer
from rapport.domain import languages


def tag_of(customer: Customer | None) -> str:
    """The Django language tag of the customer's preferred language (English when unknown)."""
    return languages.tag_for(customer.language if customer is not None else languages.ENGLISH)


@contextmanager
def in_language_of(customer: Customer | None) -> Iterator[str]:
    """Everything built inside (gettext, dates, numbers) in the customer's language."""
    tag = tag_of(customer)
    with translation.override(tag):
        yield tag


def activate_for(request: HttpRequest, customer: Customer) -> None:
    """A signed-in customer's page in their saved language, whatever the browser asks for. Only
    on customer pages, where ``CustomerLanguageMiddleware`` puts the default back afterwards."""
    tag = tag_of(customer)
    translation.activate(tag)
    request.LANGUAGE_CODE = tag
