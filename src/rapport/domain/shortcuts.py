"""Single-key keyboard shortcuts on the desk, and each person's choice of them.

WCAG 2.2 success criterion 2.1.4 (Character Key Shortcuts, level A): a shortcut made of one
letter, punctuation, number or symbol key must be one the person can turn off, or remap to a key
with a modifier or another key. Speech-input users are the reason: a dictated word is a burst of
single keys, and each would fire a shortcut. So every binding here can be changed, and all of them
turned off at once; they are on by default, as in every desk people come from.

Pure: bindings in, bindings or problems out. Where they are kept and how the page reads them is
the accounts service's and the desk's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ACTIONS: dict[str, str] = {
    "next": "Move to the next case in the queue",
    "previous": "Move to the previous case in the queue",
    "reply": "Write a reply (case page)",
    "note": "Write an internal note (case page)",
    "assign": "Choose the owner (case page)",
    "macro": "Choose a macro (case page)",
    "search": "Go to search",
    "help": "Show the keyboard shortcuts",
}
"""What each shortcut does, as the help dialog and the preferences page say it. Enter opens the
selected case: it is the link's own key, not a shortcut, so it is not listed."""

DEFAULT_KEYS: dict[str, str] = {
    "next": "j",
    "previous": "k",
    "reply": "r",
    "note": "n",
    "assign": "a",
    "macro": "m",
    "search": "/",
    "help": "?",
}

# Keys that already mean something to a browser or to assistive technology when no field has focus.
RESERVED = frozenset({" "})

KEY_MISSING = "Give a key for {action}."
KEY_TOO_LONG = "Use one key for {action} (a letter, a number or a symbol)."
KEY_RESERVED = "The space bar scrolls the page; choose another key for {action}."
KEY_TWICE = "{key!r} is already the key for {other}; give each action its own key."
UNKNOWN_ACTION = "There is no shortcut called {action!r}."


@dataclass(frozen=True)
class Shortcuts:
    """One person's shortcuts: ``enabled`` turns every single-key shortcut on or off at once."""

    enabled: bool
    keys: Mapping[str, str]


DEFAULT = Shortcuts(enabled=True, keys=DEFAULT_KEYS)


def shortcuts_from(stored: Mapping[str, object] | None) -> Shortcuts:
    """The shortcuts a stored choice gives: the defaults for whatever it does not name (an action
    added in a later release gets its default key, unless that key is taken)."""
    if not stored:
        return DEFAULT
    chosen = stored.get("keys")
    pairs = chosen.items() if isinstance(chosen, Mapping) else ()
    keys: dict[str, str] = {}
    taken: set[str] = set()
    # What was stored is read as the rules would let it be saved: a key that could not be (two
    # actions on one key, a space) is left out rather than doubled.
    for action, key in pairs:
        if action in ACTIONS and isinstance(key, str) and not binding_problems({action: key}) and key not in taken:
            keys[action] = key
            taken.add(key)
    for action, key in DEFAULT_KEYS.items():
        if action not in keys and key not in taken:
            keys[action] = key
            taken.add(key)
    return Shortcuts(enabled=stored.get("enabled", True) is not False, keys={a: keys[a] for a in ACTIONS if a in keys})


def binding_problems(keys: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with a choice of keys, by action (empty when it can be kept): one printable
    key each, no key for two actions, none the browser needs. Letters are compared as typed
    (``j`` and ``J`` differ, as the browser reports them)."""
    problems: dict[str, str] = {}
    seen: dict[str, str] = {}
    for action, key in keys.items():
        if action not in ACTIONS:
            problems[action] = UNKNOWN_ACTION.format(action=action)
            continue
        words = ACTIONS[action].split(" (")[0].lower()
        if not key:
            problems[action] = KEY_MISSING.format(action=words)
        elif len(key) != 1 or not key.isprintable():
            problems[action] = KEY_TOO_LONG.format(action=words)
        elif key in RESERVED:
            problems[action] = KEY_RESERVED.format(action=words)
        elif key in seen:
            problems[action] = KEY_TWICE.format(key=key, other=ACTIONS[seen[key]].split(" (")[0].lower())
        else:
            seen[key] = action
    return problems
