"""Date and time inputs that a browser can fill.

A browser's ``<input type="date">`` accepts only an ISO value (``2026-12-04``) and shows it in the
reader's own format; Django's ``DateInput`` renders the locale's first input format (``04/12/2026``
in en-GB), which the browser rejects, so the field shows empty. These widgets always render ISO
(HTML Living Standard, "valid date string" and "valid normalized local date and time string").
"""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_LOCAL_DATETIME)
