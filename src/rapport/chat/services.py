"""Every write of live chat. Messages are written through the core case services, so the transcript
is the case's timeline and journal events fire as for any message; ``ChatLine`` gives each its
place in the chat and keeps its client id, so a message resent after a reconnect is filed once.

Locks: the chat row first (``select_for_update``), then the case (the core services lock it), in
that order everywhere, so two writers never wait on each other in a circle.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from rapport import extensions
from rapport.access import is_staff, visible_cases
from rapport.accounts.models import Team, User
from rapport.cases import services as case_services
from rapport.cases.models import Case, Message, MessageKind
from rapport.chat import access
from rapport.chat.models import AgentChat, Chat, ChatLine, ChatSite, ChatStatus, Sender
from rapport.customers.models import Customer
from rapport.domain import chat as rules
from rapport.domain.case_rules import CaseType, Channel
from rapport.platform import jobs
from rapport.platform.errors import FieldError, Forbidden, NotFound

FIRST_ANSWER_JOB = "chat.first_answer_watch"
NO_SITE = "No chat is offered here."
NOT_ALLOWED_ORIGIN = "This website may not use this chat."
CHAT_ENDED = "This chat has ended."
AT_CAPACITY = "You already have as many chats as your capacity allows ({capacity})."
NOT_YOURS = "This chat is with another agent."
TOO_FAST = "You are sending messages too quickly. Please wait a moment."
CONSENT_NEEDED = "Please confirm you have read how we keep this conversation."
BAD_SCORE = "Choose a score from 1 to 5."
MAX_BODY = 5000
LANGUAGES = ("en", "cy")


# --- sites, secrets, origins --------------------------------------------------------------------


def site_for_key(key: str) -> ChatSite:
    site = ChatSite.objects.select_related("team").filter(key=key[:40], active=True).first()
    if site is None:
        raise NotFound(NO_SITE)
    return site


def identity_secret(site: ChatSite) -> bytes:
    """The site's identity-handoff secret, derived from ``SECRET_KEY`` (so nothing secret is stored;
    changing ``SECRET_KEY`` changes it: give websites the new one)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"chat-identity:{site.key}".encode(), hashlib.sha256).digest()


def identity_secret_hex(site: ChatSite) -> str:
    return identity_secret(site).hex()


def origin_ok(site: ChatSite, origin: str, own_origin: str) -> bool:
    """A request from ``origin`` may use ``site``'s chat: one of its allowed origins, or Rapport's own
    pages (the portal)."""
    return rules.origin_allowed(origin, [*site.origins, own_origin])


def rate_allowed(key: str, *, now: datetime, per_minute: float, burst: int) -> bool:
    """A token bucket in the shared cache (every process sees the same bucket)."""
    cache_key = f"chat:rate:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    held = cache.get(cache_key)
    bucket = rules.Bucket(held[0], datetime.fromisoformat(held[1])) if held else None
    allowed, after = rules.take(bucket, now=now, per_minute=per_minute, burst=burst)
    cache.set(cache_key, (after.tokens, after.at.isoformat()), timeout=600)
    return allowed


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- starting a chat ----------------------------------------------------------------------------


def _clean(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text:
        raise FieldError({field: ["Remove the unusual characters."]})
    if required and not text:
        raise FieldError({field: ["This field is required."]})
    if len(text) > limit:
        raise FieldError({field: [f"Keep this to {limit} characters."]})
    return text


def _customer_for(*, name: str, email: str, verified: bool, portal_user: User | None, now: datetime) -> Customer:
    """Who is chatting: a portal customer is themselves; a website's signed-in customer (a valid
    identity signature) joins the record with their email; anyone else gets a record of their own,
    so typing someone's address never opens their history to an impostor."""
    if portal_user is not None and hasattr(portal_user, "customer"):
        return portal_user.customer
    if verified and email:
        found = Customer.objects.filter(email__iexact=email, erased_at__isnull=True).order_by("id").first()
        if found is not None:
            return found
    return Customer.objects.create(
        name=name, email=email, preferred_channel=Channel.CHAT, created_at=now, updated_at=now
    )


def chat_start(
    *,
    site: ChatSite,
    name: str,
    email: str,
    topic: str,
    language: str = "en",
    adjustment: str = "",
    consent: bool,
    identity_id: str = "",
    identity_signature: str = "",
    portal_user: User | None = None,
    now: datetime,
) -> tuple[Chat, str]:
    """Open a chat from the pre-chat form: a case on the chat channel with the customer's words as its
    first message, routed to an available agent with the skill (through whichever routing is
    installed) or left waiting for the team. Returns the chat and its token (shown once)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for field, raw, limit, required in (
        ("name", name, 200, portal_user is None),
        ("email", email, 254, False),
        ("topic", topic, 200, True),
        ("adjustment", adjustment, 100, False),
    ):
        try:
            values[field] = _clean(raw, field, limit, required=required)
        except FieldError as exc:
            errors.update(exc.errors)
    if values.get("email") and "@" not in values["email"]:
        errors["email"] = ["Enter an email address, or leave it blank."]
    if language not in LANGUAGES:
        errors["language"] = ["Choose English or Welsh."]
    if values.get("adjustment") and values["adjustment"] not in site.adjustments:
        errors["adjustment"] = ["Choose one of the adjustments offered."]
    if not consent:
        errors["consent"] = [CONSENT_NEEDED]
    if errors:
        raise FieldError(errors)
    verified = bool(identity_signature) and rules.identity_valid(
        identity_secret(site), identity_id, values["email"], identity_signature
    )
    if identity_signature and not verified:
        raise FieldError(identity="The signed identity does not match: start the chat again from the website.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        customer = _customer_for(
            name=values["name"], email=values["email"], verified=verified, portal_user=portal_user, now=now
        )
        if customer.created_at == now and customer.language != language:
            # someone new, first heard from in a Welsh chat, is served in Welsh from now on (and
            # routed to Welsh speakers); a known customer's own choice is theirs to change
            customer.language = language
            customer.save(update_fields=["language"])
        lead = f"{values['topic']}" + (
            f"\n\nAdjustment asked for: {values['adjustment']}" if values["adjustment"] else ""
        )
        case, _message = case_services.case_receive(
            customer=customer,
            subject=f"Chat: {values['topic']}"[:200],
            body=lead,
            channel=Channel.CHAT,
            type=CaseType.ENQUIRY,
            now=now,
        )
        if site.team_id:
            Case.objects.filter(pk=case.pk).update(team=site.team_id)
            case.team_id = site.team_id
        chat = Chat.objects.create(
            site=site,
            case=case,
            customer=customer,
            token_digest=_digest(token),
            team_id=site.team_id,
            language=language,
            topic=values["topic"],
            adjustment=values["adjustment"],
            identity_verified=verified or portal_user is not None,
            started_at=now,
            first_answer_due=now + timedelta(seconds=site.first_answer_seconds),
        )
        outcome = extensions.route(case, "skills", now)
        if outcome is not None:
            chat.routing_reason = outcome.reason[:200]
            if outcome.user_id is not None:
                chat.agent_id = outcome.user_id
                chat.status = ChatStatus.ACTIVE
            chat.save(update_fields=["routing_reason", "agent", "status"])
        transaction.on_commit(lambda: jobs.enqueue(FIRST_ANSWER_JOB, chat.pk))
    return chat, token


def chat_for_token(token: str) -> Chat:
    chat = (
        Chat.objects.select_related("site", "customer", "agent", "case")
        .filter(token_digest=_digest(str(token)[:100]))
        .first()
    )
    if chat is None:
        raise NotFound("No such chat.")
    return chat


# --- lines --------------------------------------------------------------------------------------


def line_of(line: ChatLine, message: Message, *, customer_name: str, agent_name: str) -> dict[str, Any]:
    return {
        "chat": line.chat_id,
        "seq": line.seq,
        "client_id": line.client_id,
        "sender": line.sender,
        "name": customer_name if line.sender == Sender.CUSTOMER else agent_name,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }


def _client_id(value: str) -> str:
    cid = str(value or "").strip()
    if not cid or len(cid) > 64 or not cid.isprintable():
        raise FieldError(client_id="Send a client id of 1 to 64 characters.")
    return cid


def _body(value: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise FieldError(body="Write a message.")
    if len(text) > MAX_BODY:
        raise FieldError(body=f"Keep a message to {MAX_BODY} characters.")
    if "\x00" in text:
        raise FieldError(body="Remove the unusual characters.")
    return text


def _existing(chat: Chat, client_id: str) -> dict[str, Any] | None:
    line = ChatLine.objects.select_related("message__author").filter(chat=chat, client_id=client_id).first()
    if line is None:
        return None
    author = line.message.author
    return line_of(line, line.message, customer_name=chat.customer.name, agent_name=author.name if author else "")


def _add_line(chat: Chat, client_id: str, sender: str, message: Message) -> ChatLine:
    chat.last_seq += 1
    Chat.objects.filter(pk=chat.pk).update(last_seq=chat.last_seq)
    return ChatLine.objects.create(chat=chat, seq=chat.last_seq, client_id=client_id, sender=sender, message=message)


def customer_says(
    *, chat: Chat, client_id: str, body: str, now: datetime, attachments: Sequence[case_services.Upload] = ()
) -> tuple[dict[str, Any], bool]:
    """File the customer's message once per client id: (the line, whether it is new). Files go
    through the same checks as the portal's (``message_receive``: type, size, count)."""
    cid = _client_id(client_id)
    if attachments and not str(body or "").strip():
        body = "Sent " + ", ".join(a.filename for a in attachments)[:200]
    text = _body(body)
    with transaction.atomic():
        locked = Chat.objects.select_for_update().select_related("customer").get(pk=chat.pk)
        held = _existing(locked, cid)
        if held is not None:
            return held, False
        if locked.status == ChatStatus.ENDED:
            raise Forbidden(CHAT_ENDED)
        case = Case.objects.get(pk=locked.case_id)
        message = case_services.message_receive(
            case=case, body=text, channel=Channel.CHAT, attachments=attachments, now=now
        )
        line = _add_line(locked, cid, Sender.CUSTOMER, message)
    return line_of(line, message, customer_name=locked.customer.name, agent_name=""), True


def _staff_chat(actor: User, chat_id: int) -> Chat:
    """The chat, locked, if ``actor`` may work its case (the same not-found answer otherwise)."""
    if not access.can_chat(actor):
        raise NotFound("No such chat.")
    chat = Chat.objects.select_for_update().filter(pk=chat_id).first()
    if chat is None or not visible_cases(actor).filter(pk=chat.case_id).exists():
        raise NotFound("No such chat.")
    return chat


def agent_says(
    *, actor: User, chat_id: int, client_id: str, body: str, note: bool = False, now: datetime
) -> tuple[dict[str, Any], bool]:
    """An agent's message (or internal note) in a chat they hold, once per client id. The first
    answer stops the first-answer clock; an answer after the target records the breach now."""
    cid, text = _client_id(client_id), _body(body)
    with transaction.atomic():
        chat = _staff_chat(actor, chat_id)
        held = _existing(chat, cid)
        if held is not None:
            return held, False
        if chat.status == ChatStatus.ENDED and not note:
            raise Forbidden(CHAT_ENDED)
        if not note and chat.agent_id not in (None, actor.pk):
            raise Forbidden(NOT_YOURS)
        message = case_services.message_add(
            actor=actor,
            reference=chat.case.reference,
            kind=MessageKind.NOTE if note else MessageKind.OUTBOUND,
            body=text,
            channel=Channel.CHAT,
            now=now,
        )
        line = _add_line(chat, cid, Sender.NOTE if note else Sender.AGENT, message)
        if not note and chat.answered_at is None:
            chat.answered_at = now
            fields = ["answered_at"]
            if chat.status == ChatStatus.WAITING:
                chat.status, chat.agent = ChatStatus.ACTIVE, actor
                fields += ["status", "agent"]
            if now > chat.first_answer_due and chat.breached_at is None:
                chat.breached_at = now
                fields.append("breached_at")
            chat.save(update_fields=fields)
    return line_of(line, message, customer_name=chat.customer.name, agent_name=actor.name), True


def lines_after(chat: Chat, after: int, *, staff: bool, limit: int = 500) -> list[dict[str, Any]]:
    """The chat's lines after ``after`` (a reconnecting client's last seen), oldest first: the
    customer's view leaves notes out, in the query (they are never loaded for the widget)."""
    qs = ChatLine.objects.filter(chat=chat, seq__gt=max(0, int(after))).select_related("message__author")
    if not staff:
        qs = qs.exclude(sender=Sender.NOTE)
    lines = []
    for line in qs.order_by("seq")[:limit]:
        author = line.message.author
        item = line_of(line, line.message, customer_name=chat.customer.name, agent_name=author.name if author else "")
        lines.append(item if staff else access.customer_line(item))
    return lines


# --- the agent's side ---------------------------------------------------------------------------


def agent_presence(*, actor: User, available: bool | None, now: datetime) -> AgentChat:
    """Record that the agent's console is connected (and, if given, whether they take chats)."""
    if not access.can_chat(actor):
        raise Forbidden("Only staff take chats.")
    settings_row, _ = AgentChat.objects.get_or_create(user=actor)
    settings_row.seen_at = now
    fields = ["seen_at"]
    if available is not None:
        settings_row.available = available
        fields.append("available")
    settings_row.save(update_fields=fields)
    return settings_row


def chat_accept(*, actor: User, chat_id: int, now: datetime) -> Chat:
    """Take a waiting chat, up to the agent's chat capacity; the case is assigned to them."""
    with transaction.atomic():
        chat = _staff_chat(actor, chat_id)
        if chat.status == ChatStatus.ENDED:
            raise Forbidden(CHAT_ENDED)
        if chat.agent_id == actor.pk:
            return chat
        if chat.agent_id is not None:
            raise Forbidden(NOT_YOURS)
        capacity = AgentChat.objects.filter(user=actor).values_list("capacity", flat=True).first() or 3
        held = Chat.objects.filter(agent=actor, status=ChatStatus.ACTIVE).count()
        if held >= capacity:
            raise Forbidden(AT_CAPACITY.format(capacity=capacity))
        chat.agent, chat.status = actor, ChatStatus.ACTIVE
        chat.save(update_fields=["agent", "status"])
        _assign(actor, chat.case, {"owner": actor}, now)
    return chat


def _assign(actor: User, case: Case, changes: dict[str, Any], now: datetime) -> None:
    fresh = Case.objects.get(pk=case.pk)
    case_services.case_update(
        actor=actor, reference=fresh.reference, expected_version=fresh.version, changes=changes, now=now
    )


def chat_transfer(
    *, actor: User, chat_id: int, to_user: int | None = None, to_team: int | None = None, now: datetime
) -> Chat:
    """Hand the chat to a colleague (it stays active with them) or to a team (it waits in the
    queue for any of them); the case follows."""
    if (to_user is None) == (to_team is None):
        raise FieldError(to="Choose a colleague or a team.")
    with transaction.atomic():
        chat = _staff_chat(actor, chat_id)
        if chat.status == ChatStatus.ENDED:
            raise Forbidden(CHAT_ENDED)
        if chat.agent_id not in (None, actor.pk):
            raise Forbidden(NOT_YOURS)
        if to_user is not None:
            colleague = User.objects.filter(pk=to_user, is_active=True).first()
            if colleague is None or not is_staff(colleague):
                raise FieldError(to_user="Choose a member of staff.")
            chat.agent, chat.status = colleague, ChatStatus.ACTIVE
            _assign(actor, chat.case, {"owner": colleague}, now)
        elif to_team is not None:
            team = Team.objects.filter(pk=to_team).first()
            if team is None:
                raise FieldError(to_team="Choose a team.")
            chat.agent, chat.team, chat.status = None, team, ChatStatus.WAITING
            _assign(actor, chat.case, {"owner": None, "team": team}, now)
        chat.save(update_fields=["agent", "team", "status"])
    return chat


def chat_end(*, chat_id: int, actor: User | None = None, now: datetime) -> Chat:
    """End the chat (the customer or the agent); the case stays open and carries on by email."""
    with transaction.atomic():
        chat = _staff_chat(actor, chat_id) if actor is not None else Chat.objects.select_for_update().get(pk=chat_id)
        if chat.status != ChatStatus.ENDED:
            chat.status, chat.ended_at = ChatStatus.ENDED, now
            chat.save(update_fields=["status", "ended_at"])
    return chat


def chat_rate(*, chat: Chat, score: int, comment: str = "", now: datetime) -> Chat:
    """The customer's satisfaction (CSAT, 1 to 5) at the end of the chat; the last answer counts."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise FieldError(score=BAD_SCORE)
    text = str(comment or "").strip()[:2000]
    Chat.objects.filter(pk=chat.pk).update(csat=score, csat_comment=text)
    chat.csat, chat.csat_comment = score, text
    return chat


def transcript_send(*, chat: Chat, now: datetime) -> Message | None:
    """Email the transcript to the customer, on their request: a reply on the case by email from
    the agent who held the chat (the mail app sends it), so it is on the timeline too."""
    if not chat.customer.email or chat.agent_id is None:
        return None
    agent = User.objects.get(pk=chat.agent_id)
    lines = lines_after(chat, 0, staff=False, limit=5000)
    text = "\n".join(f"[{line['at'][11:16]}] {line['name']}: {line['body']}" for line in lines)
    body = f"Here is the transcript of your chat with us about \u201c{chat.topic}\u201d.\n\n{text}"
    return case_services.message_add(
        actor=agent, reference=chat.case.reference, kind=MessageKind.OUTBOUND, body=body, channel=Channel.EMAIL, now=now
    )


def offline_message(*, site: ChatSite, name: str, email: str, topic: str, body: str, now: datetime) -> Case:
    """The offline form (outside opening hours, or nobody available): an email case, answered by
    email like any other."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for field, raw, limit in (("name", name, 200), ("email", email, 254), ("topic", topic, 200)):
        try:
            values[field] = _clean(raw, field, limit)
        except FieldError as exc:
            errors.update(exc.errors)
    if values.get("email") and "@" not in values["email"]:
        errors["email"] = ["Enter an email address so we can reply."]
    try:
        text = _body(body)
    except FieldError as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        customer = Customer.objects.create(
            name=values["name"], email=values["email"], preferred_channel=Channel.EMAIL, created_at=now, updated_at=now
        )
        case, _ = case_services.case_receive(
            customer=customer, subject=values["topic"], body=text, channel=Channel.EMAIL, now=now
        )
        if site.team_id:
            Case.objects.filter(pk=case.pk).update(team=site.team_id)
    return case


def first_answer_check(*, chat_id: int, now: datetime) -> bool:
    """Record the breach of a chat's first-answer target if it has passed unanswered (run at the
    due instant by a scheduled job). True when a breach was recorded now."""
    with transaction.atomic():
        chat = Chat.objects.select_for_update().filter(pk=chat_id).first()
        if chat is None or chat.breached_at is not None:
            return False
        result = rules.first_answer(
            started=chat.started_at,
            target_seconds=int((chat.first_answer_due - chat.started_at).total_seconds()),
            answered=chat.answered_at,
            now=now,
        )
        if result.breached and chat.answered_at is None and chat.status != ChatStatus.ENDED:
            chat.breached_at = result.due
            chat.save(update_fields=["breached_at"])
            return True
    return False
