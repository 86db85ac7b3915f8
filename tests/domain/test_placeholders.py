"""A macro's placeholders: known names filled, unknown ones refused with a clear message."""

from __future__ import annotations

from rapport.domain import placeholders


def test_known_placeholders_are_filled_with_or_without_spaces():
    text = "Dear {{ customer.name }}, your reference is {{case.reference}}."
    filled = placeholders.fill(text, {"customer.name": "Ann Jones", "case.reference": "C-000007"})
    assert filled == "Dear Ann Jones, your reference is C-000007."
    assert placeholders.problems(text) == []


def test_an_unknown_placeholder_is_named_with_the_ones_that_exist():
    [problem] = placeholders.problems("Dear {{ cusomer.name }}, {{ agent.nickname }}")
    assert problem.message.startswith("{{ cusomer.name }}, {{ agent.nickname }} are not a placeholder.")
    assert "{{ customer.name }}" in problem.message


def test_an_unclosed_placeholder_is_refused():
    assert [p.message for p in placeholders.problems("Dear {{ customer.name")] == [placeholders.UNCLOSED]


def test_an_unknown_placeholder_is_left_as_written_when_filling():
    assert placeholders.fill("{{ nope }}", {}) == "{{ nope }}"
