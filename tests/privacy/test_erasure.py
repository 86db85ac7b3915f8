"""Erasure is refused while a legal reason applies, can be scheduled, and is done by managers only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.platform.errors import Forbidden
from rapport.privacy.erasure import (
    ErasureHeld,
    ErasureRefused,
    customer_erase,
    erasure_schedule,
    scheduled_erasures_run,
)
from rapport.privacy.models import Erasure
from rapport.privacy.services import legal_hold_place, legal_hold_release

pytestmark = pytest.mark.django_db


def test_a_legal_hold_refuses_erasure_with_its_reason_and_changes_nothing(history, customer, manager, now):
    legal_hold_place(actor=manager, customer=customer, reason="Claim in the county court", now=now)
    with pytest.raises(ErasureHeld) as refused:
        customer_erase(actor=manager, customer_id=customer.pk, now=now)
    assert refused.value.reasons == ["Legal hold: Claim in the county court"]
    customer.refresh_from_db()
    assert customer.name == "Alice Jones"
    assert customer.erased_at is None
    assert not Erasure.objects.exists()


def test_other_apps_holds_refuse_erasure_too(customer, manager, now, monkeypatch):
    monkeypatch.setattr(extensions, "legal_holds", [*extensions.legal_holds, lambda c: ["Open complaint R-000001"]])
    with pytest.raises(ErasureHeld, match="Open complaint R-000001"):
        customer_erase(actor=manager, customer_id=customer.pk, now=now)


def test_several_reasons_read_as_sentences(customer, manager, now, monkeypatch):
    # given two holds, one already a sentence with its full stop and one a bare phrase
    reasons = ["A complaint is open on C-000061.", "Open data request on C-000062"]
    monkeypatch.setattr(extensions, "legal_holds", [lambda c: reasons])

    # when erasure is asked for
    with pytest.raises(ErasureHeld) as refused:
        customer_erase(actor=manager, customer_id=customer.pk, now=now)

    # then the message joins them as sentences, never ".;"
    assert refused.value.message.endswith(": A complaint is open on C-000061. Open data request on C-000062.")
    assert ".;" not in refused.value.message


def test_scheduled_erasure_waits_for_the_hold_then_runs(
    history, customer, manager, now, django_capture_on_commit_callbacks
):
    hold = legal_hold_place(actor=manager, customer=customer, reason="Regulator inquiry", now=now)
    erasure_schedule(actor=manager, customer_id=customer.pk, now=now)
    with pytest.raises(ErasureRefused):
        erasure_schedule(actor=manager, customer_id=customer.pk, now=now)

    assert scheduled_erasures_run(now=now + timedelta(days=1)) == []
    legal_hold_release(actor=manager, hold_id=hold.pk, now=now + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=False) as completion:
        assert scheduled_erasures_run(now=now + timedelta(days=3)) == [customer.pk]

    customer.refresh_from_db()
    assert customer.erased_at == now + timedelta(days=3)
    # the rows are anonymised; complete once the files are cleared (a job after commit)
    assert Erasure.objects.get().status == "clearing_files"
    for callback in completion:
        callback()
    assert Erasure.objects.get().status == "done"


@pytest.mark.parametrize("role", ["agent", "team_leader"])
def test_only_managers_erase(request, history, customer, role, now):
    with pytest.raises(Forbidden):
        customer_erase(actor=request.getfixturevalue(role), customer_id=customer.pk, now=now)
    customer.refresh_from_db()
    assert customer.erased_at is None


def test_erasing_twice_is_a_conflict(customer, manager, now):
    customer_erase(actor=manager, customer_id=customer.pk, now=now)
    with pytest.raises(ErasureRefused):
        customer_erase(actor=manager, customer_id=customer.pk, now=now)


def test_portal_sign_in_is_anonymised_and_disabled(customer, customer_user, manager, now):
    customer_erase(actor=manager, customer_id=customer.pk, now=now)
    customer_user.refresh_from_db()
    assert customer_user.email == f"erased-{customer_user.pk}@erased.invalid"
    assert not customer_user.is_active
    assert not customer_user.has_usable_password()


def test_a_file_shared_with_another_customer_stays_for_them(agent, customer, other_customer, team, manager, now):
    from rapport.cases.models import Attachment
    from rapport.cases.services import Upload, case_create
    from tests.privacy.conftest import PNG

    for who in (customer, other_customer):
        case_create(
            actor=agent,
            customer=who,
            subject="Same file",
            body="see file",
            channel="email",
            team=team,
            attachments=[Upload("a.png", PNG)],
            now=now,
        )
    customer_erase(actor=manager, customer_id=customer.pk, now=now)
    kept = Attachment.objects.get(message__case__customer=other_customer)
    assert kept.file.storage.exists(kept.file.name)
    assert Attachment.objects.get(message__case__customer=customer).filename == "erased"


def test_a_namesake_and_a_relative_sharing_the_email_keep_their_records(history, customer, manager, now):
    from rapport.customers.models import Customer
    from rapport.privacy.erasure import identities_of, traces

    namesake = Customer.objects.create(
        name="Alice Jones", email="other.alice@example.net", created_at=now, updated_at=now
    )
    relative = Customer.objects.create(name="Tom Jones", email="alice@example.com", created_at=now, updated_at=now)
    identities = identities_of(customer)

    customer_erase(actor=manager, customer_id=customer.pk, now=now)

    namesake.refresh_from_db()
    relative.refresh_from_db()
    assert namesake.name == "Alice Jones"
    assert relative.email == "alice@example.com"
    # a name shared with a namesake is ambiguous in other people's text, so it stays there; the email goes
    from rapport.cases.models import Message

    assert Message.objects.get(case=history["bobs"]).body == "My neighbour Alice Jones ([erased]) has my parcel."
    # by identity: the namesake's name is theirs, not a trace of Alice; an email two people share
    # is still found where the relative's record holds it
    assert set(traces(customer, identities)) == {("customers_customer", "email")}


def test_files_go_only_when_the_erasure_commits(history, customer, manager, now, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from rapport.cases.models import Attachment

    name = Attachment.objects.get(message__case__customer=customer).file.name
    with django_capture_on_commit_callbacks(execute=False) as pending:
        customer_erase(actor=manager, customer_id=customer.pk, now=now)
    assert default_storage.exists(name)  # not committed yet: a rollback would keep the file
    for callback in pending:
        callback()
    assert not default_storage.exists(name)


def test_local_copies_of_sent_mail_that_name_the_person_go_on_commit(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage, get_connection

    from rapport.domain.anonymise import Identity
    from rapport.privacy.erasure import erase_local_mail

    # given: the file email backend (no mail server) wrote one email to Llŷr, encoded, and one to someone else
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    for to, subject in [("llyr@example.net", "Llŷr Prydderch: your refund"), ("other@example.net", "Your case")]:
        with get_connection(file_path=str(tmp_path)) as connection:
            EmailMessage(subject, "Thank you.", "desk@example.org", [to], connection=connection).send()
    assert len(list(tmp_path.iterdir())) == 2
    assert b"Ll=C5=B7r" in b"".join(p.read_bytes() for p in tmp_path.iterdir())  # an RFC 2047 word on disk
    # when: the person is erased
    with django_capture_on_commit_callbacks(execute=True):
        count = erase_local_mail([Identity("Llŷr Prydderch", "nobody@example.net")])
    # then: the file naming them is gone; the other stays
    assert count == 1
    [kept] = list(tmp_path.iterdir())
    assert b"other@example.net" in kept.read_bytes()


def test_a_member_of_staff_named_like_the_customer_keeps_their_audit_trail(
    customer, other_customer, manager, team, now, django_capture_on_commit_callbacks
):
    """Erasure works by identity: erasing the customer Priya Shah leaves the agent Priya Shah's
    assignments, on her cases and everyone else's, exactly as they were."""
    from rapport.cases import journal
    from rapport.cases.models import CaseEvent
    from rapport.cases.services import case_create, case_update
    from rapport.privacy.erasure import identities_of, traces
    from rapport.web.components.timeline_entry import event_entry
    from tests.conftest import make_user

    # given: a customer and an agent who share a name; the agent works both customers' cases
    customer.name = "Priya Shah"
    customer.save()
    agent = make_user("priya.shah@desk.example", "agent", [team])
    agent.name = "Priya Shah"
    agent.save()
    hers = case_create(actor=manager, customer=customer, subject="Refund", body="From Priya Shah.", team=team, now=now)
    theirs = case_create(actor=manager, customer=other_customer, subject="Parcel", body="Lost.", team=team, now=now)
    for case in (hers, theirs):
        case_update(actor=manager, reference=case.reference, expected_version=1, changes={"owner": agent.pk}, now=now)
    before = {e.pk: (e.before, e.after) for e in CaseEvent.objects.filter(case=theirs)}
    identities = identities_of(customer)

    # when: the customer is erased
    with django_capture_on_commit_callbacks(execute=True):
        customer_erase(actor=manager, customer_id=customer.pk, now=now)

    # then: the other customer's events are untouched, and on both cases the assignment still names the agent
    assert {e.pk: (e.before, e.after) for e in CaseEvent.objects.filter(case=theirs)} == before
    for case in (hers, theirs):
        [assigned] = CaseEvent.objects.filter(case=case, field="owner")
        assert (assigned.before, assigned.after) == ("", str(agent.pk))
        journal.resolve_people([assigned])
        assert "Priya Shah" in event_entry(assigned)
    # the customer is gone by identity; the agent's rightful mentions are not traces of her
    customer.refresh_from_db()
    assert customer.name.startswith("Erased customer")
    assert traces(customer, identities) == []
    agent.refresh_from_db()
    assert agent.name == "Priya Shah"
