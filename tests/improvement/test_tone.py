"""The tone-of-voice guide: kept by managers, checked on the macro and article editors through the
registry, on its own page and through the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport import extensions
from rapport.improvement import services
from rapport.improvement.models import ToneEntry
from rapport.platform.errors import FieldError, Forbidden
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(manager):
    now = timezone.now()
    services.tone_entry_save(
        actor=manager, now=now, phrase="utilise", advice="avoid", reason="Plain speaking", instead="use"
    )
    services.tone_entry_save(actor=manager, now=now, phrase="sorry", advice="prefer", reason="Say sorry and mean it")


def test_the_registry_checks_text_against_the_guide(guide):
    [prefer, avoid] = extensions.tone_findings("Sorry: please utilise the form.")

    assert (avoid.phrase, avoid.advice, avoid.instead, avoid.reason) == ("utilise", "avoid", "use", "Plain speaking")
    assert (prefer.phrase, prefer.advice) == ("Sorry", "prefer")
    assert prefer.start < avoid.start


def test_only_managers_keep_the_guide_and_entries_are_checked(manager, agent, guide):
    with pytest.raises(Forbidden):
        services.tone_entry_save(actor=agent, now=timezone.now(), phrase="x", advice="avoid", reason="y")
    with pytest.raises(FieldError) as twice:
        services.tone_entry_save(actor=manager, now=timezone.now(), phrase="Utilise", advice="avoid", reason="y")
    assert twice.value.errors == {"phrase": ["That phrase is in the guide already."]}
    with pytest.raises(FieldError) as no_reason:
        services.tone_entry_save(actor=manager, now=timezone.now(), phrase="leverage", advice="avoid", reason=" ")
    assert "reason" in no_reason.value.errors


def test_the_macro_editor_shows_what_the_guide_finds(agent, guide):
    from rapport.macros.models import Macro

    now = timezone.now()
    macro = Macro.objects.create(
        name="Refund", reply="We will utilise your card.", scope="personal", owner=agent, created_at=now, updated_at=now
    )
    client = signed_in(agent)

    page = client.get(f"/macros/{macro.pk}/").content.decode()
    assert "Tone of voice" in page
    assert "Avoid “utilise”" in page
    preview = client.post("/macros/preview/", {"reply": "Sorry for the wait.", "note": ""}).content.decode()
    assert "Good: “Sorry”" in preview


def test_the_article_editor_shows_what_the_guide_finds(manager, guide):
    response = signed_in(manager).post("/kb/articles/new/", {"title": "How we utilise your data", "body": ""})

    assert "Avoid “utilise”" in response.content.decode()


def test_the_tone_page_lists_the_guide_checks_text_and_managers_add(
    manager, agent, guide, django_assert_max_num_queries
):
    client = signed_in(agent)
    with django_assert_max_num_queries(12):
        page = client.get("/improvement/tone/").content.decode()
    assert '<caption id="guide-caption">' in page
    assert "Add a word or phrase" not in page
    checked = client.post("/improvement/tone/", {"check-text": "Please utilise it."}).content.decode()
    assert "say “use”" in checked
    assert client.post("/improvement/tone/", {"entry-phrase": "x"}).status_code == 404

    boss = signed_in(manager)
    bad = boss.post("/improvement/tone/", {"entry-phrase": "a*b", "entry-advice": "avoid", "entry-reason": "r"})
    assert bad.status_code == 422
    assert "Use * only at the end" in bad.content.decode()
    added = boss.post(
        "/improvement/tone/", {"entry-phrase": "leverage", "entry-advice": "avoid", "entry-reason": "Plain speaking"}
    )
    assert added.status_code == 302
    entry = ToneEntry.objects.get(phrase="leverage")
    assert boss.post(f"/improvement/tone/{entry.pk}/delete/").status_code == 302
    assert not ToneEntry.objects.filter(phrase="leverage").exists()
    csv_text = boss.get("/improvement/tone.csv").content.decode()
    assert csv_text.splitlines()[0] == "Word or phrase,Advice,Say instead,Why"
    assert "utilise,Avoid,use,Plain speaking" in csv_text


def test_the_api_keeps_and_checks_the_guide(client, manager, agent, auth, guide):
    listed = client.get("/api/v1/improvement/tone", **auth(agent)).json()
    assert [e["phrase"] for e in listed] == ["utilise", "sorry"]

    refused = client.post(
        "/api/v1/improvement/tone",
        {"phrase": "", "advice": "avoid", "reason": "r"},
        content_type="application/json",
        **auth(manager),
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["phrase"]
    made = client.post(
        "/api/v1/improvement/tone",
        {"phrase": "going forward", "advice": "avoid", "reason": "Plain speaking", "instead": "from now on"},
        content_type="application/json",
        **auth(manager),
    )
    assert made.status_code == 201

    found = client.post(
        "/api/v1/improvement/tone/check",
        {"text": "Going forward we will utilise email."},
        content_type="application/json",
        **auth(agent),
    ).json()
    assert [(f["phrase"], f["advice"]) for f in found] == [("Going forward", "avoid"), ("utilise", "avoid")]
    assert client.delete(f"/api/v1/improvement/tone/{made.json()['id']}", **auth(agent)).status_code == 403
    assert client.delete(f"/api/v1/improvement/tone/{made.json()['id']}", **auth(manager)).status_code == 204
    assert client.delete(f"/api/v1/improvement/tone/{2**70}", **auth(manager)).status_code in (404, 422)
