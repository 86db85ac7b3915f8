"""What the API says about customers, and what it accepts when staff add one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

# Spelt out for the spec and type checkers; tests/api/test_schemas.py proves they match the models.
CustomerKindName = Literal["person", "company", "colleague", "department"]
ChannelName = Literal["email", "portal", "phone", "face_to_face", "chat", "letter"]
LanguageCode = Literal["en", "cy"]


class CustomerOut(Schema):
    """A customer as the desk sees it (staff)."""

    audience: Literal["staff"] = Field("staff", description="Which view of the record this is.")
    id: int
    kind: CustomerKindName
    internal: bool = Field(description="A colleague or department: served against internal targets (OLAs).")
    name: str
    organisation: str
    email: str
    phone: str
    address: str
    preferred_channel: ChannelName
    language: LanguageCode = Field(description="The language messages, letters and surveys to them are written in.")
    notes: str = Field(description="The desk's notes on the customer.")
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_internal(obj: Any) -> bool:
        return bool(obj.is_internal)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/customers/{obj.pk}/"


class OwnRecordOut(Schema):
    """A customer's own record as they see it: exactly ``rapport.access.CUSTOMER_RECORD_FIELDS``
    (a test holds the two together), built from that allow-list, not the staff view minus fields."""

    audience: Literal["customer"] = Field("customer", description="Which view of the record this is.")
    id: int
    kind: CustomerKindName
    name: str
    organisation: str
    email: str
    phone: str
    address: str
    preferred_channel: ChannelName
    created_at: datetime
    updated_at: datetime


CustomerView = Annotated[CustomerOut | OwnRecordOut, Field(discriminator="audience")]


class CustomerPage(Schema):
    audience: Literal["staff"] = "staff"
    items: list[CustomerOut]
    next_cursor: str | None


class OwnRecordPage(Schema):
    audience: Literal["customer"] = "customer"
    items: list[OwnRecordOut]
    next_cursor: str | None


CustomerPageView = Annotated[CustomerPage | OwnRecordPage, Field(discriminator="audience")]


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
    language: LanguageCode = Field("en", description="Their preferred language: en (English) or cy (Welsh).")
    notes: str = ""
