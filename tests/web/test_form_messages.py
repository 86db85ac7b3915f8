"""Every required field of every form says what to do, in one voice, never "This field is required."."""

from __future__ import annotations

import pytest
from django import forms

from rapport.feedback.forms import AnswerForm
from rapport.platform.forms import DJANGO_REQUIRED, Form, required_message
from rapport.web.forms import NoteForm, ReplyForm
from tests.web.forms_walk import product_forms

REQUIRED_FIELDS = {
    f"{form.__module__}.{form.__qualname__}.{name}": field
    for form in product_forms()
    for name, field in form.base_fields.items()
    if field.required
}


def test_every_form_is_a_product_form():
    assert [f"{f.__module__}.{f.__qualname__}" for f in product_forms() if not issubclass(f, Form)] == []


def test_there_are_required_fields_to_check():
    assert len(REQUIRED_FIELDS) >= 50


@pytest.mark.parametrize("where", sorted(REQUIRED_FIELDS))
def test_every_required_field_has_its_own_message(where):
    message = str(REQUIRED_FIELDS[where].error_messages["required"])
    assert message != DJANGO_REQUIRED
    assert message[:1].isupper()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (forms.CharField(label="Subject"), "Enter the subject."),
        (forms.CharField(label="Your reply"), "Enter your reply."),
        (forms.ChoiceField(label="Team"), "Choose the team."),
        (forms.ChoiceField(label="What was bought"), "Choose what was bought."),
        (forms.DateField(label="Contract date"), "Enter the contract date."),
        (forms.FileField(label="Orders CSV"), "Choose a file for the orders CSV."),
        (forms.BooleanField(label="I agree"), "Tick the box to confirm: i agree."),
        (forms.ChoiceField(label="How did they contact us?"), "Choose an answer for “How did they contact us?”"),
        (forms.CharField(label="NPS comment"), "Enter the NPS comment."),
    ],
)
def test_messages_are_built_from_the_label(field, message):
    assert str(required_message("x", field)) == message


def test_questions_a_form_adds_itself_get_messages_too():
    form = AnswerForm(data={}, kind="rater", question="")

    errors = [str(e) for errors in form.errors.values() for e in errors]

    assert errors
    assert DJANGO_REQUIRED not in errors
    assert "Choose an answer for “Reliability: what you expected”." in errors


@pytest.mark.parametrize(("form_class", "message"), [(ReplyForm, "Write a reply."), (NoteForm, "Write a note.")])
@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_gets_one_message_whether_blank_or_spaces(case, form_class, message, body):
    extra = {"case": case} if form_class is ReplyForm else {}
    form = form_class(data={f"{form_class.prefix}-body": body}, **extra)

    assert not form.is_valid()
    assert form.errors["body"] == [message]


def test_a_reply_of_spaces_is_refused_on_the_page_with_the_forms_message(agent_client, case):
    response = agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": "   "})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Write a reply." in page
    assert "Write a message." not in page
