"""How macros and signatures plug into the core (ADR 0004): the picker in the case page's reply
area, the navigation item, the signature replies are signed with, the queue's bulk action and
the demo data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.macros import selectors, services
from rapport.platform.errors import FieldError, NotFound

NO_SUCH_MACRO = "Give the name or number of a macro you can use."

APPLY_MACRO = "apply_macro"


def picker_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """The macro picker above the reply box (a constant cost: no query until it is opened)."""
    if not policy.is_staff(request.user):
        return None
    return extensions.Panel(template="macros/_picker.html", place="reply", order=10, context={"case": case})


def nav_visible(user: User) -> bool:
    return policy.is_staff(user)


def bulk_prepare(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The macro the queue's "apply a macro" names, by id or by its exact name, once per request.
    A free-text value rather than a list of choices: the action bar is on every queue page, and a
    list would cost a query each time."""
    value = str(params.get("macro") or "").strip()
    try:
        return {"macro": selectors.macro_get(actor, value)}
    except NotFound:
        found = selectors.macros_usable(actor).filter(name__iexact=value).first() if value else None
        if found is None:
            raise FieldError(macro=NO_SUCH_MACRO) from None
        return {"macro": found}


def bulk_apply(actor: User, case: Case, version: int, params: Mapping[str, Any], now: datetime) -> None:
    """The queue's "apply a macro" on one row. Refusals are raised (``RapportError``) with their
    reason, as ``services.apply_macro`` gives them; the queue reports them per row."""
    services.apply_macro(actor=actor, case=case, macro=params["macro"], version=version, now=now)


def reply_placeholders(case: Case, actor: User, now: datetime) -> Mapping[str, str]:
    """The reply placeholders' values for anything else that fills them (a knowledge article)."""
    return services.placeholder_values(actor=actor, case=case, now=now)


def register() -> None:
    extensions.case_panels.append(picker_panel)
    extensions.reply_signatures.append(selectors.signature_of)
    extensions.reply_placeholders.append(reply_placeholders)
    extensions.bulk_actions.register(
        APPLY_MACRO,
        extensions.BulkAction(
            "Apply a macro (its name or number)",
            allowed=policy.is_staff,
            param="macro",
            prepare=bulk_prepare,
            each=bulk_apply,
            order=60,
        ),
    )
    extensions.nav_items.append(extensions.NavItem("Macros", "macros:index", "macros", nav_visible, order=25))
    from rapport.macros.demo import seed_demo

    extensions.demo_seeders.append(seed_demo)
