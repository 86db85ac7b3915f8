"""What the API says about customers, and what it accepts when staff add one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

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
    merged_into: int | None = Field(
        None, description="Set when this record was merged into another: the id of the record to use."
    )
    url: str

    @staticmethod
    def resolve_merged_into(obj: Any) -> int | None:
        return getattr(obj, "merged_into_id", None)

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


SINCE = (
    "Only records changed at or after this moment (ISO 8601 with a time zone, e.g. 2026-03-01T09:00:00Z): "
    "pass the time your last sync started."
)


class CustomerListQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Start of the name, or the whole email address.")
    kind: CustomerKindName | None = None
    updated_since: AwareDatetime | None = Field(None, description=SINCE)
    created_since: AwareDatetime | None = Field(
        None, description="Only records created at or after this moment (ISO 8601 with a time zone)."
    )
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


class CustomerChanges(Schema):
    """Some fields of a customer's record; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    kind: CustomerKindName | None = None
    name: str | None = Field(None, max_length=200)
    organisation: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=2000)
    preferred_channel: ChannelName | None = None
    notes: str | None = Field(None, max_length=10000)


class ErasureRequestOut(Schema):
    request: str = Field(description="The reference of the data request case that handles the erasure.")
    url: str = Field(description="The request's page on the desk.")
    holds: list[str] = Field(description="Legal reasons that keep the data for now (an open complaint, a legal hold).")


class CustomerMergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    duplicate: int = Field(ge=1, le=2**31 - 1, description="The id of the record to merge into this one.")


class CustomerMergeOut(Schema):
    customer: CustomerOut = Field(description="The record kept, after the merge.")
    merged: int = Field(description="The id of the duplicate, now a pointer to the record kept.")
    cases_moved: int
    moved: dict[str, int] = Field(description="What other parts of Rapport moved, by name (consents, legal holds …).")
