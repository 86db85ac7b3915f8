"""Replies in Markdown: sanitised HTML and a plain-text part that reads well."""

from __future__ import annotations

import re

import pytest

from rapport.platform.markdown import markdown_html, markdown_text, message_html, message_text


def test_markdown_becomes_html():
    html = markdown_html("Dear **Ann**,\n\n- one\n- two")
    assert "<strong>Ann</strong>" in html
    assert "<ul>\n<li>one</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "[x](JaVaScRiPt:alert(1))",
    ],
)
def test_scripts_and_javascript_links_never_survive(source):
    html = markdown_html(source).lower()
    # typed HTML stays text (escaped); what is markup has no script, handler or javascript: link
    assert "<script" not in html
    assert not re.search(r"<a [^>]*href=\"javascript", html)
    assert not re.search(r"<[a-z]+ [^>]*onerror", html)
    assert "<img" not in html


def test_plain_text_keeps_link_addresses_list_markers_and_quotes():
    text = markdown_text("See [our policy](https://example.com/p).\n\n1. first\n2. second\n\n> quoted\n\n**bold** end")
    assert text == "See our policy (https://example.com/p).\n\n1. first\n2. second\n\n> quoted\n\nbold end"


def test_plain_text_messages_stay_as_written():
    assert message_html("Line *one*", "text") == ""
    assert message_text("Line *one*", "text") == "Line *one*"
    assert message_text("Line *one*", "markdown") == "Line one"
