"""Forms for the desk pages.

Forms only shape input (types, choices, lengths a browser should know). The rules live in the
services: a service's ``FieldError`` is put back on the form with ``show_errors`` so the person
sees it beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, TYPE_CHOICES, Case
from rapport.cases.services import NOTE_REQUIRED, REPLY_REQUIRED, Upload
from rapport.customers.models import CHANNEL_CHOICES, LANGUAGE_CHOICES, CustomerKind
from rapport.domain import case_rules
from rapport.domain import shortcuts as shortcut_rules
from rapport.domain.attachments import AttachmentRefused, check_attachment
from rapport.domain.case_rules import Channel, Priority, Status, can_move
from rapport.platform import caches
from rapport.platform.errors import FieldError, TooLarge
from rapport.platform.forms import Form
from rapport.platform.shortlived import ShortLivedCopy
from rapport.platform.uploads import upload_name

PRIORITY_FILTER_CHOICES = [("", "Any priority")] + [(p.label, p.label.capitalize()) for p in Priority]
CONTACT_CHANNELS = [(Channel.PHONE.value, "Phone"), (Channel.FACE_TO_FACE.value, "Face to face")]


def show_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Put a service's field errors on the form: each beside its field, the rest at the top."""
    _ = form.errors  # runs validation once, so add_error has somewhere to write
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    for name, messages in errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def check_tags(text: str) -> None:
    """Refuse a tag that would be stored as something else (``case_rules.tag_problem``), as the
    service does for the API."""
    for tag in split_tags(text):
        if problem := case_rules.tag_problem(tag):
            raise forms.ValidationError(problem, code="tag")


def staff_members() -> Any:
    return User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True).only("id", "name", "email")


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


Choices = list[tuple[Any, str]]


def _staff_choices() -> Choices:
    return [(user.pk, user.name or user.email) for user in staff_members()]


def _team_choices() -> Choices:
    return [(team.pk, team.name) for team in Team.objects.only("id", "name")]


# Owner and team lists as the pages show them, reused by a process for 30 s (ADR 0007). A submitted
# choice is still checked against the database by the form field, so a colleague deactivated a
# moment ago can linger in the list but can never be saved as an owner; saving a user or a team in
# this process clears the list at once (``platform.caches``).
shown_staff: ShortLivedCopy[Choices] = caches.short_lived(
    "web.shown_staff", _staff_choices, ttl=30.0, copies=("accounts.User",)
)
shown_teams: ShortLivedCopy[Choices] = caches.short_lived(
    "web.shown_teams", _team_choices, ttl=30.0, copies=("accounts.Team",)
)


class OfferedChoiceField(forms.ChoiceField):
    """Offers the choices that make sense now, but accepts any known value: a form read before
    someone else changed the case still reaches the service, which has the last word (and answers
    a stale edit with a Conflict rather than a puzzling "not a valid choice")."""

    def __init__(self, *, accepted: Sequence[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(choices=accepted, **kwargs)
        self.labels = {str(value): label for value, label in accepted}

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.labels


# --- files -----------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files; the service decides which are acceptable."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Attachments")
        kwargs.setdefault("help_text", "PDF, images, text, CSV or office documents. You can choose several files.")
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        clean_one = super().clean
        return [clean_one(file, initial) for file in files]


def uploads(files: Iterable[UploadedFile]) -> list[Upload]:
    """Uploaded files as the service's ``Upload``s.

    A file over the size limit is refused here, before it is read into memory; its message is the
    domain's own, so it reads the same as every other refusal.
    """
    result = []
    limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
    for file in files:
        name = upload_name(file)
        if file.size is not None and file.size > limit:
            try:
                check_attachment(name, b"", file.size, max_bytes=limit)
            except AttachmentRefused as refused:
                raise TooLarge(attachments=str(refused)) from None
        result.append(Upload(filename=name, content=file.read()))
    return result


# --- sign-in ---------------------------------------------------------------------------------------


class SignInForm(Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        error_messages={"required": _("Enter your email address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# --- queue -----------------------------------------------------------------------------------------


class QueueFilterForm(Form):
    """Renders the queue filters; ``QueueFilter.from_params`` parses them."""

    queue = forms.CharField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Active (needs action)"), ("any", "Any status"), *STATUS_CHOICES],
    )
    priority = forms.ChoiceField(required=False, choices=PRIORITY_FILTER_CHOICES)
    type = forms.ChoiceField(required=False, label="Case type", choices=[("", "Any type"), *TYPE_CHOICES])
    channel = forms.ChoiceField(required=False, choices=[("", "Any channel"), *CHANNEL_CHOICES])
    team = forms.ModelChoiceField(required=False, queryset=Team.objects.all(), empty_label="Any team")
    owner = StaffChoiceField(required=False, queryset=staff_members(), empty_label="Anyone")
    tag = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[
            ("updated", "Recently updated"),
            ("oldest", "Longest without update"),
            ("created", "Newest"),
            ("priority", "Priority"),
            ("breach", "Time to next breach"),
        ],
    )
    limit = forms.CharField(widget=forms.HiddenInput, required=False)
    customer = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, params: Any) -> None:
        initial = {name: params.get(name) for name in self.base_fields if params.get(name)}
        super().__init__(initial=initial, auto_id="filter-%s")
        self.fields["owner"].queryset = staff_members()
        self.fields["owner"].widget.choices = [("", "Anyone"), *shown_staff()]
        self.fields["team"].widget.choices = [("", "Any team"), *shown_teams()]


# --- case page -------------------------------------------------------------------------------------


def status_choices_after_reply(case: Case) -> list[tuple[str, str]]:
    """Statuses a reply may leave the case in: its status after the reply, or a legal move."""
    base = Status.OPEN if case.status == Status.NEW else Status(case.status)
    labels = dict(STATUS_CHOICES)
    keep = f"{labels[base]} (no change)" if base == case.status else f"{labels[base]} (usual after a first reply)"
    return [("", keep)] + [(s.value, labels[s.value]) for s in Status if s != base and can_move(base, s)]


class ReplyForm(Form):
    prefix = "reply"

    body = forms.CharField(
        label="Your reply",
        help_text="Markdown works: **bold**, *italics*, [a link](https://…), lists with -. Your signature is added.",
        strip=False,
        # The keyboard shortcut "reply" (web/static/rapport/shortcuts.js) brings people here.
        widget=forms.Textarea(attrs={"rows": 6, "data-shortcut-action": "reply"}),
        error_messages={"required": REPLY_REQUIRED},
    )
    status_after = OfferedChoiceField(label="Status after reply", required=False, accepted=STATUS_CHOICES)
    attachments = AttachmentsField()
    drop_cc = forms.BooleanField(label="Do not copy this reply to the people in CC", required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status_after"].choices = status_choices_after_reply(case)
        if case.cc:
            self.fields["drop_cc"].help_text = f"Copied to: {case.cc}"
        else:
            del self.fields["drop_cc"]


class NoteForm(Form):
    prefix = "note"

    body = forms.CharField(
        label="Internal note",
        help_text="Only staff can see notes. The customer never sees them.",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-shortcut-action": "note"}),
        error_messages={"required": NOTE_REQUIRED},
    )
    attachments = AttachmentsField()


class CaseEditForm(Form):
    """The case's working fields. ``version`` is the version the agent read (optimistic locking)."""

    prefix = "edit"

    status = OfferedChoiceField(accepted=STATUS_CHOICES)
    priority = forms.TypedChoiceField(choices=PRIORITY_CHOICES, coerce=int)
    type = forms.ChoiceField(label="Case type", choices=TYPE_CHOICES)
    owner = StaffChoiceField(
        required=False,
        queryset=staff_members(),
        empty_label="Nobody",
        widget=forms.Select(attrs={"data-shortcut-action": "assign"}),
    )
    team = forms.ModelChoiceField(required=False, queryset=Team.objects.all(), empty_label="No team")
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas.", validators=[check_tags]
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page, then make your changes again."},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_for(case))
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_members()
        # Shown from the process's lists; what is submitted is still checked against the database.
        self.fields["owner"].widget.choices = [("", "Nobody"), *shown_staff()]
        self.fields["team"].widget.choices = [("", "No team"), *shown_teams()]
        current = Status(case.status)
        self.fields["status"].choices = [
            (value, label) for value, label in STATUS_CHOICES if value == current or can_move(current, Status(value))
        ]

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "status": case.status,
            "priority": case.priority,
            "type": case.type,
            "owner": case.owner_id,
            "team": case.team_id,
            "tags": ", ".join(t.name for t in case.tags.all()),
            "version": case.version,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "priority": data["priority"],
            "type": data["type"],
            "owner": data["owner"],
            "team": data["team"],
            "tags": split_tags(data["tags"]),
        }


class CcForm(Form):
    """The case's CC list: the addresses copied on replies to the customer."""

    prefix = "cc"

    cc = forms.CharField(
        label="Copy replies to (CC)",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text="Email addresses, separated by commas. Leave empty to copy nobody.",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page, then make your changes again."},
    )


class MergeForm(Form):
    """Cases to merge into this one: their references and the versions the agent previewed."""

    prefix = "merge"

    cases = forms.MultipleChoiceField(
        label="Cases to merge into this one",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one case to merge into this one."},
    )
    versions = forms.CharField(widget=forms.HiddenInput, required=False)
    notify = forms.BooleanField(label="Tell the customer their cases were combined", required=False)

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = list(choices)

    def read_versions(self) -> dict[str, int]:
        """``versions`` as "C-000001:3,C-000002:1"; anything unreadable is left out (the merge then
        answers that the case changed, and nothing is written)."""
        found: dict[str, int] = {}
        for pair in (self.cleaned_data.get("versions") or "").split(","):
            reference, _, version = pair.partition(":")
            if reference.strip() and version.strip().isdigit():
                found[reference.strip()] = int(version)
        return found


class SplitForm(Form):
    prefix = "split"

    subject = forms.CharField(label="Subject of the new case", max_length=200, required=False)
    following = forms.BooleanField(label="Also move every message after this one", required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page, then try again."},
    )


# --- customers -------------------------------------------------------------------------------------


class CustomerSearchForm(Form):
    q = forms.CharField(
        required=False, label="Name or email", help_text="The start of a name, or a whole email address."
    )
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *CustomerKind.choices])

    def __init__(self, params: Any) -> None:
        initial = {name: params.get(name) for name in self.base_fields if params.get(name)}
        super().__init__(initial=initial, auto_id="filter-%s")


class CustomerForm(Form):
    kind = forms.ChoiceField(choices=CustomerKind.choices, initial=CustomerKind.PERSON)
    name = forms.CharField(max_length=200, error_messages={"required": "Give the customer's name."})
    organisation = forms.CharField(required=False, max_length=200)
    email = forms.CharField(
        label="Email address", required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="Phone number", required=False, max_length=40, widget=forms.TextInput(attrs={"type": "tel"})
    )
    address = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    preferred_channel = forms.ChoiceField(
        label="Preferred channel",
        choices=CHANNEL_CHOICES,
        initial=Channel.EMAIL.value,
        help_text="How the customer would like us to contact them.",
    )
    language = forms.ChoiceField(
        label="Preferred language",
        choices=LANGUAGE_CHOICES,
        initial="en",
        required=False,
        help_text="Emails, letters and surveys to them are written in it; the portal opens in it.",
    )
    notes = forms.CharField(required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_language(self) -> str:
        return str(self.cleaned_data.get("language") or "en")  # English unless said otherwise

    @staticmethod
    def initial_for(customer: Any) -> dict[str, Any]:
        return {name: getattr(customer, name) for name in CustomerForm.base_fields}


class ContactLogForm(Form):
    """A phone call or a conversation at the counter, recorded as a case."""

    prefix = "contact"

    channel = forms.ChoiceField(label="How did they contact us?", choices=CONTACT_CHANNELS, widget=forms.RadioSelect)
    subject = forms.CharField(max_length=200, error_messages={"required": "Give the contact a subject."})
    summary = forms.CharField(
        label="What was said",
        help_text="In the customer's words where you can.",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Summarise the contact."},
    )
    type = forms.ChoiceField(label="Case type", choices=TYPE_CHOICES)
    priority = forms.TypedChoiceField(choices=PRIORITY_CHOICES, coerce=int, initial=Priority.NORMAL)
    resolved = forms.BooleanField(label="Resolved during the contact", required=False)


class RaiseCaseForm(Form):
    """A case raised by staff on the customer's behalf (their first message, as received)."""

    subject = forms.CharField(max_length=200, error_messages={"required": "Give the case a subject."})
    body = forms.CharField(
        label="What the customer said",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write what the customer said."},
    )
    type = forms.ChoiceField(label="Case type", choices=TYPE_CHOICES)
    channel = forms.ChoiceField(label="Channel", choices=CHANNEL_CHOICES)
    priority = forms.TypedChoiceField(choices=PRIORITY_CHOICES, coerce=int, initial=Priority.NORMAL)
    team = forms.ModelChoiceField(required=False, queryset=Team.objects.all(), empty_label="No team (triage)")
    owner = StaffChoiceField(required=False, queryset=staff_members(), empty_label="Nobody yet")
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas.", validators=[check_tags]
    )
    attachments = AttachmentsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_members()


def field_error(error: FieldError) -> list[str]:
    """Every message of a ``FieldError``, for an error summary without a form."""
    return [message for messages in error.errors.values() for message in messages]


# --- the queue's saved views and each person's keyboard shortcuts -----------------------------------


class SavedViewForm(Form):
    """Save the queue's current filters as a view (the filters come from the page's address)."""

    name = forms.CharField(label="View name", max_length=60)
    shared = forms.BooleanField(label="Share with every member of staff", required=False)


class ShortcutsForm(Form):
    """A person's single-key shortcuts (WCAG 2.1.4): all on or off, and a key for each."""

    enabled = forms.BooleanField(label="Use single-key shortcuts", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for action, label in shortcut_rules.ACTIONS.items():
            self.fields[f"key_{action}"] = forms.CharField(
                label=label,
                max_length=1,
                strip=False,
                error_messages={"required": f"Give a key for: {label.lower()}."},
                widget=forms.TextInput(attrs={"size": 2, "autocomplete": "off", "class": "key-input"}),
            )

    @classmethod
    def initial_for(cls, chosen: shortcut_rules.Shortcuts) -> dict[str, Any]:
        return {"enabled": chosen.enabled, **{f"key_{a}": k for a, k in chosen.keys.items()}}

    def keys(self) -> dict[str, str]:
        return {action: self.cleaned_data[f"key_{action}"] for action in shortcut_rules.ACTIONS}
