"""Forms for the customer portal.

Forms shape input (types, choices, lengths a browser should know) and say so in plain words. The
rules live in the case services: their ``FieldError`` is put back on the form beside the field it
is about (``show_service_errors``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rapport.cases.services import BODY_REQUIRED, BODY_TOO_LONG, MAX_BODY, SUBJECT_REQUIRED, SUBJECT_TOO_LONG, Upload
from rapport.domain.attachments import ALLOWED
from rapport.platform.errors import FieldError, TooLarge
from rapport.platform.forms import Form
from rapport.platform.uploads import upload_name
from rapport.portal.wording import CASE_TYPES

TYPE_REQUIRED = _("Choose what kind of case this is.")
FILE_TOO_BIG = _("{name} is too big. Each file must be {limit} or smaller.")
TOO_MANY_FILES = _("You can attach up to {count} files at a time.")
CHOOSE_FILES_AGAIN = _("For your security, your browser does not keep chosen files: please choose them again.")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (the service and ``uploads`` set the limits)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # Empty files reach the service, whose message names the file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def attachments_hint() -> str:
    types = ", ".join(sorted(ALLOWED))
    return gettext("You can attach up to {count} files, each up to {size}. We accept these types: {types}.").format(
        count=settings.RAPPORT_MAX_ATTACHMENTS, size=filesizeformat(settings.RAPPORT_MAX_ATTACHMENT_BYTES), types=types
    )


class PortalForm(Form):
    """Shared behaviour: attachments become service ``Upload``s; service errors go back on fields."""

    attachments: MultipleFileField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.help_text = attachments_hint()
        field.widget.attrs["accept"] = ",".join(f".{extension}" for extension in sorted(ALLOWED))

    def uploads(self) -> list[Upload]:
        """The chosen files as the service takes them.

        Too many files or a file over the limit is refused before any is read into memory; the
        service then checks every file's type and content.
        """
        files: list[UploadedFile[bytes]] = self.cleaned_data.get("attachments") or []
        if len(files) > settings.RAPPORT_MAX_ATTACHMENTS:
            raise FieldError(attachments=TOO_MANY_FILES.format(count=settings.RAPPORT_MAX_ATTACHMENTS))
        limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
        for file in files:
            if file.size is not None and file.size > limit:
                raise TooLarge(attachments=FILE_TOO_BIG.format(name=upload_name(file), limit=filesizeformat(limit)))
        return [Upload(filename=upload_name(file), content=file.read()) for file in files]

    def show_service_errors(self, error: FieldError) -> None:
        """Put a service's errors on the form: each beside its field, anything else at the top."""
        for name, messages in error.errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)

    @property
    def choose_again(self) -> str:
        """Said beside the file field when a form with chosen files comes back with errors."""
        if self.is_bound and self.errors and self.files.getlist("attachments"):
            return CHOOSE_FILES_AGAIN
        return ""


class RaiseCaseForm(PortalForm):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("A few words that sum it up, for example “Kettle stopped working”."),
        error_messages={"required": _(SUBJECT_REQUIRED), "max_length": _(SUBJECT_TOO_LONG)},
    )
    type = forms.ChoiceField(
        label=_("What kind of case is it?"),
        choices=[(value, wording.label) for value, wording in CASE_TYPES.items()],
        widget=forms.RadioSelect,
        error_messages={"required": TYPE_REQUIRED, "invalid_choice": TYPE_REQUIRED},
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tell us what happened and what you'd like us to do. Include any order or account numbers."),
        error_messages={"required": _(BODY_REQUIRED), "max_length": _(BODY_TOO_LONG)},
    )
    attachments = MultipleFileField(label=_("Attach files (optional)"))


class ReplyForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _(BODY_REQUIRED), "max_length": _(BODY_TOO_LONG)},
    )
    attachments = MultipleFileField(label=_("Attach files (optional)"))
