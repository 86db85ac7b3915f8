"""What the API says about customers, and what it accepts when staff add one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict

from rapport import access as policy

# Spelt out for the spec and type checkers; tests/api/test_schemas.py proves they match the models.
CustomerKindName = Literal["person", "company", "colleague", "department"]
ChannelName = Literal["email", "portal", "phone", "face_to_face", "chat", "letter"]


class CustomerOut(Schema):
    id: int
    kind: CustomerKindName
    internal: bool = Field(description="A colleague or department: served against internal targets (OLAs).")
    name: str
    organisation: str
    email: str
    phone: str
    address: str
    preferred_channel: ChannelName
    notes: str | None = Field(description="The desk's notes on the customer: staff only, null for customers.")
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_internal(obj: Any) -> bool:
        return bool(obj.is_internal)

    @staticmethod
    def resolve_notes(obj: Any, context: Any) -> str | None:
        request: HttpRequest | None = (context or {}).get("request")
        actor = getattr(request, "auth", None)
        return obj.notes if actor is not None and policy.can_see_internal(actor) else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/customers/{obj.pk}/"


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerListQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Start of the name, or the whole email address.")
    kind: CustomerKindName | None = None
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=200)


class CustomerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: CustomerKindName = "person"
    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_channel: ChannelName = "email"
    notes: str = ""
