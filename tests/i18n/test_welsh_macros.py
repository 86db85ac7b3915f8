"""A macro can hold a Welsh version of its reply: a Welsh-speaking customer gets it, everyone else
the reply as written; a macro without one sends its reply to everyone."""

from __future__ import annotations

import pytest

from rapport.customers.models import Customer
from rapport.macros.services import MacroData, macro_create, macro_preview

pytestmark = pytest.mark.django_db

ENGLISH = "Dear {{ customer.name }}, your reference is {{ case.reference }}."
WELSH = "Annwyl {{ customer.name }}, eich cyfeirnod yw {{ case.reference }}."


@pytest.fixture
def macro(agent, now):
    return macro_create(actor=agent, data=MacroData(name="Reference", reply=ENGLISH, reply_cy=WELSH), now=now)


def test_a_welsh_speaker_gets_the_welsh_reply(agent, case, macro, now):
    Customer.objects.filter(pk=case.customer_id).update(language="cy")
    case.customer.refresh_from_db()

    preview = macro_preview(actor=agent, case=case, macro=macro, now=now)

    assert preview.reply_source == f"Annwyl Alice Jones, eich cyfeirnod yw {case.reference}."


def test_an_english_speaker_gets_the_reply_as_written(agent, case, macro, now):
    preview = macro_preview(actor=agent, case=case, macro=macro, now=now)

    assert preview.reply_source == f"Dear Alice Jones, your reference is {case.reference}."


def test_without_a_welsh_version_everyone_gets_the_reply(agent, case, now):
    Customer.objects.filter(pk=case.customer_id).update(language="cy")
    case.customer.refresh_from_db()
    plain = macro_create(actor=agent, data=MacroData(name="Thanks", reply="Thank you."), now=now)

    assert macro_preview(actor=agent, case=case, macro=plain, now=now).reply_source == "Thank you."


def test_the_welsh_version_is_checked_like_the_reply(agent, now):
    from rapport.platform.errors import FieldError

    with pytest.raises(FieldError) as refused:
        macro_create(actor=agent, data=MacroData(name="Broken", reply_cy="Annwyl {{ nobody }}"), now=now)

    assert "reply_cy" in refused.value.errors


def test_the_macro_form_offers_the_welsh_reply(client, agent):
    client.force_login(agent)

    html = client.get("/macros/new/").content.decode()

    assert "Reply in Welsh (optional)" in html
    assert 'lang="cy"' in html
