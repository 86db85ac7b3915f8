"""The admin page's import form."""

from __future__ import annotations

from django import forms

from rapport.domain.imports import SOURCE_LABELS
from rapport.platform.forms import Form


class ImportForm(Form):
    source = forms.ChoiceField(label="Import from", choices=list(SOURCE_LABELS.items()))
    file = forms.FileField(
        label="Export file",
        help_text="A .zip of the export folder (with attachments/ inside it if you have the files), or one "
        ".json, .jsonl or .csv file of tickets. Up to 200 MB: larger exports go through `rapport import`.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: report what would be created and what cannot be mapped, and write nothing",
        required=False,
        initial=True,
    )
    attachments_base = forms.CharField(
        label="Fetch attachments from (optional)",
        required=False,
        max_length=500,
        help_text="An address that serves the export's attachment URLs by their path, such as a copy on your own "
        "network. Leave empty to import only the files inside the zip.",
    )
    timezone = forms.CharField(
        label="Time zone of times written without one (optional)",
        required=False,
        max_length=60,
        help_text="For CSV files from a spreadsheet. Empty means Europe/London.",
    )
