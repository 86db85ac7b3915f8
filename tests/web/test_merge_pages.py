"""The merge, split and CC controls of the case page (cases.views)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases import merging
from rapport.cases.models import Case, Message
from rapport.cases.services import case_create, case_update, message_add
from rapport.mail.models import OutboxEmail


@pytest.fixture
def second(agent, customer, team, now):
    return case_create(
        actor=agent,
        customer=customer,
        subject="Kettle again",
        body="Any news?",
        team=team,
        now=now + timedelta(hours=1),
    )


def test_the_case_page_offers_to_merge_the_customers_other_open_cases(agent_client, case, second):
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()

    assert f'href="/cases/{case.reference}/merge/"' in page
    assert "Merge…" in page


def test_the_preview_shows_what_moves_and_the_confirmation_merges(agent_client, case, second):
    preview = agent_client.get(f"/cases/{case.reference}/merge/", {"merge-cases": [second.reference]})
    html = preview.content.decode()

    assert preview.status_code == 200
    assert "What moves to" in html
    assert f'value="{case.reference}:{case.version},{second.reference}:{second.version}"' in html

    done = agent_client.post(
        f"/cases/{case.reference}/merge/",
        {
            "merge-cases": [second.reference],
            "merge-versions": f"{case.reference}:{case.version},{second.reference}:{second.version}",
            "merge-notify": "on",
        },
    )

    assert done.status_code == 302
    assert Case.objects.get(pk=second.pk).merged_into_id == case.pk
    assert Message.objects.filter(case=case, kind="outbound").count() == 1  # the customer was told


def test_a_stale_preview_merges_nothing_and_says_so(agent, agent_client, case, second):
    versions = f"{case.reference}:{case.version},{second.reference}:{second.version}"
    case_update(actor=agent, reference=second.reference, expected_version=second.version, changes={"priority": "high"})

    answer = agent_client.post(
        f"/cases/{case.reference}/merge/", {"merge-cases": [second.reference], "merge-versions": versions}
    )

    assert answer.status_code == 409
    assert "Nothing was merged" in answer.content.decode()
    assert Case.objects.get(pk=second.pk).merged_into_id is None


def test_a_merged_cases_page_says_where_it_went(agent, agent_client, case, second, now):
    merging.cases_merge(
        actor=agent, target_reference=case.reference, references=[second.reference],
        versions={case.reference: case.version, second.reference: second.version}, now=now,
    )  # fmt: skip

    page = agent_client.get(f"/cases/{second.reference}/").content.decode()

    assert f"Merged into {case.reference}" in page
    assert f'href="/cases/{case.reference}/"' in page
    assert "Split to a new case" not in page


def test_each_message_can_be_split_off_from_the_page(agent_client, case, customer_user, now):
    message = message_add(
        actor=customer_user, reference=case.reference, kind="inbound", body="My toaster too.", now=now
    )
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert f'href="/cases/{case.reference}/split/{message.pk}/"' in page

    form = agent_client.get(f"/cases/{case.reference}/split/{message.pk}/")
    assert form.status_code == 200
    version = Case.objects.get(pk=case.pk).version
    done = agent_client.post(
        f"/cases/{case.reference}/split/{message.pk}/", {"split-subject": "Toaster", "split-version": version}
    )

    assert done.status_code == 302
    new = Case.objects.get(subject="Toaster")
    assert done["Location"].startswith(f"/cases/{new.reference}/")
    assert f"/cases/{case.reference}/" in agent_client.get(f"/cases/{new.reference}/").content.decode()


def test_the_reply_form_can_drop_the_cc_list_for_one_reply(agent_client, case):
    Case.objects.filter(pk=case.pk).update(cc="ben@example.com", channel="email")
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Copied to: ben@example.com" in page

    agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": "Just you.", "reply-drop_cc": "on"})
    agent_client.post(f"/cases/{case.reference}/reply/", {"reply-body": "Both of you."})

    sent = dict(Message.objects.filter(case=case, kind="outbound").values_list("body", "cc"))
    assert sent == {"Just you.": "", "Both of you.": "ben@example.com"}
    assert OutboxEmail.objects.filter(cc="ben@example.com").count() == 1


def test_the_cc_list_is_edited_on_the_page(agent_client, case):
    answer = agent_client.post(f"/cases/{case.reference}/cc/", {"cc-cc": "ben@example.com", "cc-version": case.version})
    assert answer.status_code == 302
    assert Case.objects.get(pk=case.pk).cc == "ben@example.com"

    bad = agent_client.post(f"/cases/{case.reference}/cc/", {"cc-cc": "ben@", "cc-version": case.version + 1})
    assert bad.status_code == 422
    assert "ben@ is not an email address." in bad.content.decode()


def test_the_customer_is_taken_to_the_case_theirs_was_merged_into(customer_client, agent, case, second, now):
    merging.cases_merge(
        actor=agent, target_reference=case.reference, references=[second.reference],
        versions={case.reference: case.version, second.reference: second.version}, now=now,
    )  # fmt: skip

    page = customer_client.get(f"/portal/cases/{second.reference}/")
    assert page.status_code == 302
    assert page["Location"] == f"/portal/cases/{case.reference}/"

    sent = customer_client.post(f"/portal/cases/{second.reference}/", {"body": "Any update?"})
    assert sent.status_code == 302
    assert Message.objects.get(body="Any update?").case_id == case.pk
