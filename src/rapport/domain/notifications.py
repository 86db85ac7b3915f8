"""What a member of staff is told about, and how (issue 16: in-app notifications).

Each kind of notification reaches a person in the app, by email, both or neither, as they choose
(Zendesk and Help Scout let each agent pick per kind). Without a choice, a kind is shown in the app
only: email is opt-in, so nobody's inbox fills unasked.
"""

from __future__ import annotations

from collections.abc import Mapping

ASSIGNED = "assigned"
MENTIONED = "mentioned"
APPROVAL_REQUESTED = "approval_requested"
APPROVAL_DECIDED = "approval_decided"
SLA_WARNING = "sla_warning"
SLA_BREACHED = "sla_breached"
CUSTOMER_REPLY = "customer_reply"

KINDS: Mapping[str, str] = {
    ASSIGNED: "A case is assigned to me",
    MENTIONED: "I am mentioned in an internal note",
    APPROVAL_REQUESTED: "An approval is asked of my role",
    APPROVAL_DECIDED: "An approval I asked for is decided",
    SLA_WARNING: "A case I own or follow nears an SLA target",
    SLA_BREACHED: "A case I own or follow misses an SLA target",
    CUSTOMER_REPLY: "The customer replies on a case I own or follow",
}

IN_APP = "app"
EMAIL = "email"
BOTH = "both"
NONE = "none"
CHANNELS: Mapping[str, str] = {
    IN_APP: "In the app",
    EMAIL: "By email",
    BOTH: "In the app and by email",
    NONE: "Not at all",
}
DEFAULT_CHANNEL = IN_APP


def channel_for(kind: str, chosen: Mapping[str, str]) -> str:
    """How a person is told of ``kind``: their choice, else ``DEFAULT_CHANNEL``."""
    found = chosen.get(kind, DEFAULT_CHANNEL)
    return found if found in CHANNELS else DEFAULT_CHANNEL


def shows_in_app(channel: str) -> bool:
    return channel in (IN_APP, BOTH)


def sends_email(channel: str) -> bool:
    return channel in (EMAIL, BOTH)
