"""Text from a request that a database can store: JSON bodies, query strings and form fields.

``json.loads`` accepts what no database keeps: a lone UTF-16 surrogate (``"\\ud800"``) cannot be
encoded as UTF-8, and PostgreSQL refuses a NUL character in text. Deep nesting overflows the
parser's stack. Each is bad input, answered with the field it is in, never a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rapport.platform.errors import FieldError, RapportError

MAX_DEPTH = 32
NOT_JSON = "The request body is not valid JSON."
TOO_DEEP = f"The JSON is nested too deeply: at most {MAX_DEPTH} levels of arrays and objects."
HAS_NUL = "This text contains a NUL character (\\u0000), which cannot be stored: remove it."
HAS_SURROGATE = (
    "This text contains an unpaired surrogate (such as \\ud800), which is not a character: send valid Unicode."
)

_SURROGATE = re.compile("[\ud800-\udfff]")


class BadBody(RapportError):
    """The body cannot be read at all (status 400): no field to name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    if "\x00" in text:
        return HAS_NUL
    if not text.isascii() and _SURROGATE.search(text):
        return HAS_SURROGATE
    return None


def parse_json(body: bytes) -> Any:
    """The JSON document in ``body``, refused (``BadBody``, ``FieldError``) if it is not one or
    holds text that cannot be stored."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise BadBody(TOO_DEEP) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise BadBody(NOT_JSON) from None
    check_json(data)
    return data


def check_json(data: Any) -> None:
    """Walk ``data`` without recursion; every problem is named by the key it sits under."""
    errors: dict[Any, list[str]] = {}  # None: the body as a whole
    stack: list[tuple[Any, int, str | None]] = [(data, 0, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem and problem not in errors.get(field, []):
                errors.setdefault(field, []).append(problem)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise BadBody(TOO_DEEP)
            if isinstance(value, dict):
                for key, item in value.items():
                    problem = text_problem(key)
                    if problem:
                        errors.setdefault(None, []).append(f"In a field name: {problem}")
                        continue
                    stack.append((item, depth + 1, key))
            else:
                stack.extend((item, depth + 1, field) for item in value)
    if errors:
        raise FieldError(errors)


def check_fields(fields: Iterable[tuple[str, str]]) -> None:
    """Query-string or form fields, as (name, value) pairs."""
    errors: dict[Any, list[str]] = {}
    for name, value in fields:
        if problem := text_problem(name):
            errors.setdefault(None, []).append(f"In a field name: {problem}")
        elif (problem := text_problem(value)) and problem not in errors.get(name, []):
            errors.setdefault(name, []).append(problem)
    if errors:
        raise FieldError(errors)
