"""Who may do what in live chat (on the core policy, ``rapport.access``).

- Staff who may see a chat's case work it from the console; a chat is loaded through the case gate,
  so the same not-found answer covers missing and forbidden.
- The customer holds a chat by its token alone (the widget keeps it in the tab's session storage);
  they are sent only their own and the agent's messages: never a note, an owner, a team or tags.
- Only admins manage chat sites (their origins and identity secrets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import is_staff
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

CUSTOMER_FIELDS = ("seq", "client_id", "sender", "name", "body", "at")
"""Everything a line sent to the widget may carry: the allow-list (a test checks it)."""


def can_chat(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_manage_sites(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN


def customer_line(line: dict[str, object]) -> dict[str, object]:
    """A line as the customer may see it: the allow-listed fields only."""
    return {k: line[k] for k in CUSTOMER_FIELDS if k in line}
