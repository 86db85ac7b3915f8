"""/api/v1/cases, /search and /attachments: parse the request, call one service or selector, answer.

Creating a case or adding a message takes JSON, or multipart/form-data when files come with it
(the same fields, plus ``attachments``). Every refusal comes from the services and the policy;
this module only turns HTTP into their arguments.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import HeaderEx, P, Query, Router, Status
from ninja.errors import ValidationError

from rapport import access as policy
from rapport.accounts.api import ERRORS, actor
from rapport.cases import bulk, cc, merging, search, selectors, services, splitting, wording
from rapport.cases.models import Case
from rapport.cases.schemas import (
    BulkIn,
    BulkOut,
    CaseChanges,
    CaseIn,
    CaseListQuery,
    CaseOut,
    CasePageView,
    CaseView,
    CcIn,
    ConflictOut,
    EventPage,
    LanguageReviewIn,
    LanguageReviewOut,
    MergeIn,
    MergeOut,
    MessageIn,
    MessageOut,
    MessagePage,
    PageQuery,
    SearchQuery,
    SearchResults,
    SplitIn,
)
from rapport.customers.selectors import customer_for_new_case
from rapport.domain.attachments import ALLOWED, AttachmentRefused, check_attachment
from rapport.domain.language import CODES
from rapport.domain.previews import PREVIEW_CONTENT_TYPE, PreviewState
from rapport.platform import textinput
from rapport.platform.downloads import private_download
from rapport.platform.errors import FieldError, NotFound, TooLarge
from rapport.platform.uploads import upload_name

router = Router(tags=["cases"])
search_router = Router(tags=["search"])
attachments_router = Router(tags=["attachments"])
language_router = Router(tags=["language"])

S = TypeVar("S", bound=pydantic.BaseModel)
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
FILE_FIELD = "attachments"
# Room for the text fields of a form beside the largest set of files it may carry.
FORM_ALLOWANCE = 1024 * 1024
BAD_IF_MATCH = 'If-Match must be the version of the case you read, e.g. "3".'
VERSIONS_DIFFER = "The version in the body and the one in If-Match differ."


# --- reading a JSON or form body -------------------------------------------------------------------


def _read_payload(request: HttpRequest, schema: type[S]) -> tuple[S, list[services.Upload]]:
    """The body as ``schema``, and any files. Bad fields raise the API's one ``ValidationError``,
    named like ninja's own, so both reach the client in the same shape."""
    form = request.content_type in FORM_TYPES
    if form:
        _refuse_oversize_request(request)
        fields = [(name, value) for name, value in request.POST.lists() if name != "csrfmiddlewaretoken"]
        textinput.check_fields((name, value) for name, values in fields for value in values)
        data: Any = {name: values[0] if len(values) == 1 else values for name, values in fields}
    else:
        data = textinput.parse_json(request.body) if request.body else {}
    try:
        payload = schema.model_validate(data)
    except pydantic.ValidationError as invalid:
        raise ValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in invalid.errors(include_url=False)]
        ) from None
    return payload, _uploads(request.FILES) if form else []


def _refuse_oversize_request(request: HttpRequest) -> None:
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES * settings.RAPPORT_MAX_ATTACHMENTS + FORM_ALLOWANCE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise TooLarge(attachments=f"This request is {length:,} bytes; a request may carry at most {limit:,} bytes.")


def _uploads(files: MultiValueDict[str, Any]) -> list[services.Upload]:
    stray = sorted(name for name in files if name != FILE_FIELD)
    if stray:
        raise FieldError({name: [f"Send files in the '{FILE_FIELD}' field."] for name in stray})
    uploads = []
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
    for file in files.getlist(FILE_FIELD):
        name = upload_name(file)
        if file.size > limit:
            # Refused before it is read into memory; the domain rule words the answer.
            try:
                check_attachment(name, b"", file.size, max_bytes=limit)
            except AttachmentRefused as refused:
                raise TooLarge(attachments=str(refused)) from None
        uploads.append(services.Upload(name, file.read()))
    return uploads


def _body_doc(schema: type[pydantic.BaseModel], description: str) -> dict[str, Any]:
    """The request body for the OpenAPI document: the same fields as JSON or as a form with files."""
    fields = schema.model_json_schema()
    with_files = {
        **fields,
        "properties": {
            **fields["properties"],
            FILE_FIELD: {"type": "array", "items": {"type": "string", "format": "binary"}},
        },
    }
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": fields}, "multipart/form-data": {"schema": with_files}},
        }
    }


def _expected_version(in_body: int | None, if_match: str | None) -> int | None:
    if if_match is None:
        return in_body
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise FieldError(version=BAD_IF_MATCH)
    if in_body is not None and in_body != int(value):
        raise FieldError(version=VERSIONS_DIFFER)
    return int(value)


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


# --- cases ---------------------------------------------------------------------------------------


def _case_view(request: HttpRequest, case: Case) -> Case:
    """Mark ``case`` with the view the caller gets (``policy.audience_of``): the response schema
    reads ``audience`` to serialise it as the staff view (``CaseOut``) or the customer's
    (``CustomerCaseOut``), which holds only the fields the policy lets a customer see."""
    case.audience = policy.audience_of(actor(request))  # type: ignore[attr-defined]
    return case


@router.get("", response={200: CasePageView, **ERRORS}, summary="List cases (a queue)")
def list_cases(request: HttpRequest, filters: Query[CaseListQuery]) -> Any:
    """Cases the caller may see, newest change first unless ``sort`` says otherwise. Customers get
    the customer view of each case (``audience``: "customer") and may filter only by status, type
    and channel."""
    user = actor(request)
    page = selectors.case_list(user, filters.filter_params(), cursor=filters.cursor, size=filters.limit)
    return {"audience": policy.audience_of(user), "items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "",
    response={201: CaseView, **ERRORS},
    summary="Open a case",
    openapi_extra=_body_doc(CaseIn, "The case and its first message; as a form, files go in 'attachments'."),
)
def create_case(request: HttpRequest, response: HttpResponse) -> Any:
    """A new case with its first message, for an existing customer (staff) or the caller (customers).
    Answers 201 with the case, its ``Location`` and ``ETag``."""
    user = actor(request)
    payload, uploads = _read_payload(request, CaseIn)
    customer = customer_for_new_case(user, payload.customer)
    team, owner = selectors.case_assignment(team_id=payload.team, owner_id=payload.owner)
    case = services.case_create(
        actor=user,
        customer=customer,
        subject=payload.subject,
        body=payload.body,
        type=payload.type,
        channel=payload.channel,
        priority=payload.priority,
        team=team,
        owner=owner,
        tags=payload.tags,
        attachments=uploads,
    )
    response["Location"] = f"/api/v1/cases/{case.reference}"
    _etag(response, case.version)
    return Status(201, _case_view(request, case))


@router.post("/bulk", response={200: BulkOut, **ERRORS}, summary="Change many cases at once")
def bulk_cases(request: HttpRequest, payload: BulkIn) -> Any:
    """One action on many cases, each checked on its own: by the permission policy and against the
    version you read. Answers 200 with one result per case, in the order sent; a case someone else
    changed is a 409 for that case alone. A request that cannot be done at all (an unknown action,
    no cases, a bad parameter) is one 422 and changes nothing."""
    outcomes = bulk.cases_bulk(actor=actor(request), action=payload.action, params=payload.params, cases=payload.cases)
    changed = sum(1 for outcome in outcomes if outcome.changed)
    return {"action": payload.action, "changed": changed, "refused": len(outcomes) - changed, "results": outcomes}


@router.get("/{reference}", response={200: CaseView, **ERRORS}, summary="One case")
def get_case(request: HttpRequest, reference: str, response: HttpResponse) -> Any:
    """The case, with its version as the ``ETag`` (send it back as ``If-Match`` to change the case)."""
    case = policy.access_case(actor(request), reference, why=policy.VIA_API)
    _etag(response, case.version)
    return _case_view(request, case)


@router.patch("/{reference}", response={200: CaseOut, 409: ConflictOut, **ERRORS}, summary="Change a case")
def update_case(
    request: HttpRequest,
    reference: str,
    payload: CaseChanges,
    response: HttpResponse,
    if_match: HeaderEx[str | None, P(alias="If-Match")] = None,
) -> Any:
    """Send the ``version`` you read (or ``If-Match``). If the case has changed since, nothing is
    written and the 409 answer carries the case as it is now."""
    changes = payload.model_dump(exclude_unset=True)
    version = _expected_version(changes.pop("version", None), if_match)
    case = services.case_update(actor=actor(request), reference=reference, expected_version=version, changes=changes)
    _etag(response, case.version)
    return case


# --- merge, split, CC ------------------------------------------------------------------------------


@router.post(
    "/{reference}/merge", response={200: MergeOut, 409: ConflictOut, **ERRORS}, summary="Merge cases into this one"
)
def merge_cases(request: HttpRequest, reference: str, payload: MergeIn) -> Any:
    """Merge other cases of the same customer into this one: their messages, attachments, events
    and tags move here and they become closed pointers (``merged_into``). Send the version you read
    of every case, this one's included: if any changed, nothing is merged and the 409 carries them
    all as they are now. Rules only a manager may pass (two complaints; a data request into a case
    that is not one) answer 403 naming the rule."""
    result = merging.cases_merge(
        actor=actor(request),
        target_reference=reference,
        references=payload.cases,
        versions=payload.versions,
        notify=payload.notify,
    )
    return {
        "target": result.target,
        "merged": [c.reference for c in result.merged],
        "messages_moved": result.messages,
        "events_moved": result.events,
    }


@router.post("/{reference}/split", response={201: CaseOut, 409: ConflictOut, **ERRORS}, summary="Split a message off")
def split_case(request: HttpRequest, reference: str, payload: SplitIn, response: HttpResponse) -> Any:
    """Move a message (and every later one, with ``following``) to a new case of the same customer;
    both cases record the link. Answers 201 with the new case."""
    new = splitting.case_split(
        actor=actor(request),
        reference=reference,
        message_id=payload.message,
        following=payload.following,
        expected_version=payload.version,
        subject=payload.subject,
    )
    response["Location"] = f"/api/v1/cases/{new.reference}"
    _etag(response, new.version)
    return Status(201, new)


@router.put("/{reference}/cc", response={200: CaseOut, 409: ConflictOut, **ERRORS}, summary="Set the CC list")
def set_cc(request: HttpRequest, reference: str, payload: CcIn, response: HttpResponse) -> Any:
    """Replace the addresses copied on replies to the customer (staff)."""
    case = cc.case_cc_set(
        actor=actor(request), reference=reference, expected_version=payload.version, addresses=payload.cc
    )
    _etag(response, case.version)
    return case


# --- messages and timeline ---------------------------------------------------------------------------


@router.get("/{reference}/messages", response={200: MessagePage, **ERRORS}, summary="A case's messages")
def list_messages(request: HttpRequest, reference: str, page: Query[PageQuery]) -> Any:
    """Oldest first. Customers never see internal notes."""
    _case, messages = selectors.case_messages(
        actor(request), reference, cursor=page.cursor, size=page.limit, why=policy.VIA_API
    )
    return messages


@router.post(
    "/{reference}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Add a message",
    openapi_extra=_body_doc(MessageIn, "The message; as a form, files go in 'attachments'."),
)
def add_message(request: HttpRequest, reference: str) -> Any:
    """A reply, an internal note (staff) or the customer's own message, with any files."""
    payload, uploads = _read_payload(request, MessageIn)
    message = services.message_add(
        actor=actor(request),
        reference=reference,
        kind=payload.kind,
        body=payload.body,
        body_html=payload.body_html,
        channel=payload.channel,
        status_after=payload.status_after,
        attachments=uploads,
        body_format=payload.format,
        copy_cc=payload.copy_cc,
    )
    return Status(201, message)


@router.get("/{reference}/events", response={200: EventPage, **ERRORS}, summary="A case's timeline (staff)")
def list_events(request: HttpRequest, reference: str, page: Query[PageQuery]) -> Any:
    """Every change to the case, oldest first: who, what, when, before and after."""
    return selectors.case_timeline(actor(request), reference, cursor=page.cursor, size=page.limit, why=policy.VIA_API)


# --- search and attachments ------------------------------------------------------------------------


@search_router.get("", response={200: SearchResults, **ERRORS}, summary="Search cases, messages and customers")
def search_everything(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Ranked best first, within what the caller may see."""
    return {"items": search.search(actor(request), query.q, limit=query.limit)}


@attachments_router.get(
    "/{attachment_id}",
    response=ERRORS,
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment, with the type it was checked as on upload.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in sorted({kind.content_type for kind in ALLOWED.values()})
                },
            }
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A file on a message the caller may see: always a download, never cached
    (``Cache-Control: private, no-store``) and sandboxed if opened."""
    attachment = policy.access_attachment(actor(request), attachment_id, why=policy.VIA_API)
    return private_download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)


@attachments_router.get(
    "/{attachment_id}/preview",
    response=ERRORS,
    summary="An attachment's preview",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The preview the worker drew (an image, or a PDF's first page), never cached.",
                "content": {PREVIEW_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment_preview(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The preview of a file the caller may download; 404 while there is none (``preview_state``)."""
    attachment = policy.access_attachment(actor(request), attachment_id, why=policy.VIA_API)
    if attachment.preview_state != PreviewState.READY or not attachment.preview.name:
        raise NotFound(policy.NO_ATTACHMENT)
    return private_download(
        attachment.preview,
        filename=f"{attachment.filename}.webp",
        content_type=PREVIEW_CONTENT_TYPE,
        as_attachment=False,
    )


@language_router.post("/review", response={200: LanguageReviewOut, **ERRORS}, summary="Review a reply's wording")
def review_language(request: HttpRequest, payload: LanguageReviewIn) -> Any:
    """Hints on a reply before it is sent: negative phrasing, blame, jargon, missing ownership or
    next step, and (with ``complaint``) missing empathy, each with the passage quoted, why, and a
    suggested rewording. Rules, not a model: see docs/language.md for what it cannot see. Staff only."""
    policy.require_staff(actor(request))
    hints = wording.wording_hints(text=payload.text, complaint=payload.complaint)
    found = {h.code for h in hints}
    return {"findings": hints, "codes": [code for code in CODES if code in found]}
