"""Errors that services raise and every edge (pages, API, CLI) turns into a clear answer.

Messages may be marked for translation (``gettext_lazy`` constants); each error holds them as
plain text in the language active when it was raised (``str(message)``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise

Message = str | Promise
"""Plain text, or text marked for translation (``gettext_lazy``)."""


class RapportError(Exception):
    status = 400


class NotFound(RapportError):
    """Missing or not yours: the same answer for both, so nothing leaks (architecture.md)."""

    status = 404

    def __init__(self, what: Message = "Not found.") -> None:
        super().__init__(str(what))
        self.message = str(what)


class Forbidden(RapportError):
    """Seen, but the actor may not do this to it."""

    status = 403

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class FieldError(RapportError):
    """Bad input, named by field. ``errors`` maps field name to a list of messages."""

    status = 422

    def __init__(self, errors: Mapping[str, Sequence[Message]] | None = None, /, **single: Message) -> None:
        self.errors: dict[str, list[str]] = {k: [str(m) for m in v] for k, v in (errors or {}).items()}
        for field, message in single.items():
            self.errors.setdefault(field, []).append(str(message))
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class TooLarge(FieldError):
    status = 413


class Conflict(RapportError):
    """The row changed since the actor read it. ``current`` is what it holds now."""

    status = 409

    def __init__(self, message: Message, current: Any = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.current = current


class Refused(RapportError):
    """Not allowed now, for the reason given (e.g. the customer's data is restricted, UK GDPR Art 18)."""

    status = 409

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class UserError(Exception):
    """Something the person running a command can put right: shown as one line, exit status 2
    (``rapport`` and every app's ``commands`` module raise it)."""
