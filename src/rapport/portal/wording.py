"""The words the portal uses for the desk's terms, written for members of the public.

Staff see statuses such as ``waiting_on_third_party``; a customer needs to know what is happening
and whether anything is expected of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rapport.domain.case_rules import CaseType, Status


@dataclass(frozen=True)
class Wording:
    label: str  # marked for translation: the words are chosen when a page is drawn
    explanation: str


STATUS: dict[str, Wording] = {
    Status.NEW: Wording(_("Received"), _("We've got your case and someone will pick it up soon.")),
    Status.OPEN: Wording(_("We're working on it"), _("Someone is looking into this for you.")),
    Status.WAITING_ON_CUSTOMER: Wording(
        _("Waiting for your reply"),
        _("We need something from you before we can carry on. Please read our latest message and reply below."),
    ),
    Status.WAITING_ON_THIRD_PARTY: Wording(
        _("We're working on it"), _("We're waiting to hear back from someone else. We'll update you when we do.")
    ),
    Status.RESOLVED: Wording(
        _("Resolved"), _("We think this is sorted. If it isn't, reply below and we'll pick it up again.")
    ),
    Status.CLOSED: Wording(
        _("Closed"), _("This case is closed. If you need to tell us more, reply below and we'll reopen it.")
    ),
}

# The kinds of case a customer can raise themselves, in the order the form offers them.
CASE_TYPES: dict[str, Wording] = {
    CaseType.ENQUIRY: Wording(_("A question"), _("You'd like some information or advice from us.")),
    CaseType.REQUEST: Wording(
        _("A request"),
        _("You'd like us to do something, such as update your details, book a visit or send a replacement."),
    ),
    CaseType.COMPLAINT: Wording(
        _("A complaint"), _("You're unhappy with something we did, or didn't do, and you'd like us to put it right.")
    ),
}

OTHER_TYPES: dict[str, str] = {
    CaseType.INTERNAL_REQUEST: _("Internal request"),
    CaseType.DATA_REQUEST: _("Request about your personal data"),
}


def status_label(status: str) -> str:
    wording = STATUS.get(status)
    return wording.label if wording else status.replace("_", " ").capitalize()


def status_explanation(status: str) -> str:
    wording = STATUS.get(status)
    return wording.explanation if wording else ""


def type_label(case_type: str) -> str:
    wording = CASE_TYPES.get(case_type)
    if wording:
        return wording.label
    return OTHER_TYPES.get(case_type, case_type.replace("_", " ").capitalize())


def type_explanation(case_type: str) -> str:
    wording = CASE_TYPES.get(case_type)
    return wording.explanation if wording else ""
