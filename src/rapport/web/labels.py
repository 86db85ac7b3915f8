"""What a stored code means to a person: one place that maps each vocabulary's codes to its labels.

Codes stay codes in the database, the JSON API and event payloads; pages, letters, people's CSV
files and exports show the label. The core's vocabularies are here; each app registers its own
(``extensions.label_vocabularies``) from its ``hooks.register()``. A code no vocabulary knows is
still shown as words, never with its underscores.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapport import extensions
from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, TYPE_CHOICES
from rapport.customers.models import CHANNEL_CHOICES
from rapport.platform import caches


@caches.memo("web.label_vocabularies", key="nothing: one value (code lists fixed at deploy)", maxsize=1)
def vocabularies() -> Mapping[str, Mapping[str, str]]:
    """The core's vocabularies and those the apps registered (``extensions.label_vocabularies``)."""
    found: dict[str, Mapping[str, str]] = {
        "channel": dict(CHANNEL_CHOICES),
        "case_type": dict(TYPE_CHOICES),
        "case_status": dict(STATUS_CHOICES),
        "priority": {str(value): label for value, label in PRIORITY_CHOICES},
    }
    for name in extensions.label_vocabularies:
        if name in found:
            raise ValueError(f"The label vocabulary {name!r} is the core's own: register it under another name.")
        found[name] = extensions.label_vocabularies.get(name) or {}
    return found


def words(code: str) -> str:
    """``waiting_on_customer`` → ``Waiting on customer``: the fallback for a code without a label."""
    text = str(code or "").replace("_", " ")
    return text[:1].upper() + text[1:]


def label(vocabulary: str, code: object) -> str:
    """The label of ``code`` in ``vocabulary`` (a name from :func:`vocabularies`)."""
    if code is None or code == "":
        return ""
    return vocabularies()[vocabulary].get(str(code)) or words(str(code))
