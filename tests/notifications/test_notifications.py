"""Who hears of what: assignment, mentions, customer replies, SLA alerts and approvals, each as the
person chose; the list, the unread count, reading; only about cases they may still see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache

from rapport.accounts.models import Role
from rapport.cases import journal
from rapport.cases.services import case_update, message_add
from rapport.domain import notifications as rules
from rapport.notifications import selectors, services
from rapport.notifications.models import Follow, Notification
from rapport.platform.errors import FieldError, NotFound
from tests.conftest import make_user


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_assigning_a_case_tells_the_new_owner_and_not_the_one_who_took_it(agent, colleague, case, now, deliver):
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    case_update(
        actor=colleague, reference=case.reference, expected_version=case.version + 1, changes={"owner": agent}, now=now
    )
    deliver()
    assert kinds_for(colleague) == [rules.ASSIGNED]
    found = Notification.objects.get(recipient=colleague)
    assert found.text == "Assigned to you by Agent"
    assert found.case_id == case.pk
    assert found.actor_id == agent.pk
    assert found.read_at is None
    assert kinds_for(agent) == [rules.ASSIGNED]  # Megan gave it back


def test_taking_a_case_myself_tells_nobody(agent, case, now, deliver):
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": agent}, now=now)
    deliver()
    assert not Notification.objects.exists()


def test_a_mention_in_a_note_tells_the_person_by_handle_or_name(agent, colleague, team_leader, case, now, deliver):
    message_add(
        actor=agent, reference=case.reference, kind="note", body="@megan.jones and @Leader: call them back?", now=now
    )
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="@megan.jones in a reply is no mention", now=now
    )
    deliver()
    assert kinds_for(colleague) == [rules.MENTIONED]
    assert kinds_for(team_leader) == [rules.MENTIONED]
    assert Notification.objects.get(recipient=colleague).text == "Agent mentioned you in an internal note"
    assert kinds_for(agent) == []


def test_a_mentioned_colleague_who_cannot_see_the_case_is_not_told(agent, other_agent, case, now, deliver):
    message_add(actor=agent, reference=case.reference, kind="note", body="@billing can you look?", now=now)
    deliver()
    assert not Notification.objects.filter(recipient=other_agent).exists()


def test_a_customer_reply_tells_the_owner_and_followers(
    agent, colleague, team_leader, customer_user, case, now, deliver
):
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": agent}, now=now)
    services.follow(actor=colleague, reference=case.reference, now=now)
    deliver()
    message_add(
        actor=customer_user, reference=case.reference, kind="inbound", body="Any news?", now=now + timedelta(hours=1)
    )
    deliver()
    assert kinds_for(agent) == [rules.CUSTOMER_REPLY]
    assert kinds_for(colleague) == [rules.CUSTOMER_REPLY]
    assert kinds_for(team_leader) == []  # neither owns nor follows
    assert (
        "Any news?" not in Notification.objects.get(recipient=colleague).text
    )  # what the customer said stays on the case


def test_sla_warnings_and_breaches_tell_the_owner_and_followers(agent, colleague, case, now, deliver):
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": agent}, now=now)
    services.follow(actor=colleague, reference=case.reference, now=now)
    journal.record(case=case, kind="sla_warning", at=now, field="first_response", after=now.isoformat())
    journal.record(case=case, kind="sla_breached", at=now, field="resolution", after=now.isoformat())
    deliver()
    texts = sorted(Notification.objects.filter(recipient=colleague).values_list("text", flat=True))
    assert texts == ["SLA breached: the resolution target was missed", "SLA warning: the first response target is near"]
    assert kinds_for(agent) == [rules.SLA_BREACHED, rules.SLA_WARNING]


def test_approval_requests_reach_the_approving_role_and_decisions_the_requester(
    agent, team_leader, manager, customer, team, now, deliver
):
    from rapport.cases.services import case_create
    from rapport.complaints import services as complaints

    complaint = case_create(
        actor=agent, customer=customer, subject="Kettle failed twice", body="Refund please.", type="complaint",
        channel="email", team=team, owner=agent, now=now,
    )  # fmt: skip
    award = complaints.award_request(
        actor=agent, reference=complaint.reference, kind="goodwill", basis="goodwill", amount="80.00", now=now
    )
    deliver()
    assert award.approval.approver_role == Role.MANAGER  # goodwill above the agent's limit
    assert kinds_for(manager) == [rules.APPROVAL_REQUESTED]
    assert kinds_for(team_leader) == []  # not their role
    assert Notification.objects.get(recipient=manager).text == "Approval requested by Agent"
    complaints.approval_decide(
        actor=manager, approval_id=award.approval.pk, approve=False, reason="Already refunded.", now=now
    )
    deliver()
    assert kinds_for(agent) == [rules.APPROVAL_DECIDED]
    assert Notification.objects.get(recipient=agent).text == "Your approval request was refused by Manager"


def test_an_event_delivered_twice_notifies_once(agent, colleague, case, now):
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    event = case.events.get(field="owner")
    services.notify([event])
    services.notify([event])
    assert Notification.objects.filter(recipient=colleague).count() == 1


# --- preferences and email ----------------------------------------------------------------------


def test_email_goes_through_the_outbox_naming_only_the_case(agent, colleague, case, now, deliver, settings):
    from rapport.mail.models import OutboxEmail

    services.preferences_set(actor=colleague, chosen={rules.ASSIGNED: rules.EMAIL, rules.MENTIONED: rules.NONE})
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    message_add(
        actor=agent, reference=case.reference, kind="note", body="@Megan Jones see the customer's address", now=now
    )
    deliver()
    assert not Notification.objects.filter(recipient=colleague).exists()  # email only, and mentions not at all
    sent = OutboxEmail.objects.filter(to__icontains=colleague.email)
    assert sent.count() == 1
    email = sent.get()
    text = f"{email.subject}\n{email.text}\n{email.html}"
    assert f"[{case.reference}] Assigned to you by Agent" in text
    assert "Broken kettle" in text
    assert "Alice" not in text
    assert "alice@example.com" not in text


def test_both_shows_in_the_app_and_emails(agent, colleague, case, now, deliver):
    from rapport.mail.models import OutboxEmail

    services.preferences_set(actor=colleague, chosen={rules.ASSIGNED: rules.BOTH})
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    before = OutboxEmail.objects.count()
    deliver()
    assert kinds_for(colleague) == [rules.ASSIGNED]
    assert OutboxEmail.objects.count() == before + 1


def test_preferences_refuse_unknown_kinds_and_channels_by_name(agent):
    with pytest.raises(FieldError) as refused:
        services.preferences_set(actor=agent, chosen={"gossip": rules.EMAIL, rules.ASSIGNED: "fax"})
    assert set(refused.value.errors) == {"gossip", rules.ASSIGNED}
    assert selectors.preferences(agent)[rules.ASSIGNED] == rules.IN_APP


# --- reading, counting, access ---------------------------------------------------------------


@pytest.fixture
def told(agent, colleague, case, now, deliver):
    """Three notifications for Megan."""
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    for i in range(2):
        message_add(
            actor=agent,
            reference=case.reference,
            kind="note",
            body=f"@megan.jones note {i}",
            now=now + timedelta(minutes=i + 1),
        )
    deliver()
    return list(Notification.objects.filter(recipient=colleague).order_by("id"))


def test_the_unread_count_is_cached_and_cleared_by_reading(colleague, told, django_assert_num_queries, now):
    assert selectors.unread_count(colleague) == 3
    with django_assert_num_queries(0):
        assert selectors.unread_count(colleague) == 3
    services.mark_read(actor=colleague, notification_id=told[0].pk, now=now)
    assert selectors.unread_count(colleague) == 2
    assert services.mark_all_read(actor=colleague, now=now) == 2
    assert selectors.unread_count(colleague) == 0


def test_a_new_notification_clears_the_cached_count(
    agent, colleague, case, now, deliver, django_capture_on_commit_callbacks
):
    assert selectors.unread_count(colleague) == 0
    message_add(actor=agent, reference=case.reference, kind="note", body="@megan.jones hi", now=now)
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
    assert cache.get(selectors.unread_key(colleague.pk)) is None
    assert selectors.unread_count(colleague) == 1


def test_nobody_reads_anyone_elses_notification(agent, told):
    with pytest.raises(NotFound):
        services.mark_read(actor=agent, notification_id=told[0].pk)
    with pytest.raises(NotFound):
        services.mark_read(actor=agent, notification_id="not a number")


def test_a_case_moved_out_of_sight_hides_its_notifications(colleague, told, case, other_team, agent, now):
    assert selectors.unread_count(colleague) == 3
    case_update(
        actor=agent,
        reference=case.reference,
        expected_version=_version(case),
        changes={"team": other_team, "owner": None},
        now=now,
    )
    cache.clear()
    assert selectors.unread_count(colleague) == 0
    assert selectors.notifications_page(colleague, cursor=None).items == []
    with pytest.raises(NotFound):
        services.mark_read(actor=colleague, notification_id=told[0].pk)


def _version(case):
    case.refresh_from_db()
    return case.version


def test_followers_are_listed_and_following_is_recorded_quietly(agent, colleague, case, now):
    services.follow(actor=colleague, reference=case.reference, now=now)
    services.follow(actor=colleague, reference=case.reference, now=now)  # again: nothing new
    assert [u.name for u in selectors.followers(case)] == ["Megan Jones"]
    assert list(case.events.filter(kind__in=["followed", "unfollowed"]).values_list("kind", flat=True)) == ["followed"]
    assert "followed" in journal.quiet_kinds()
    services.unfollow(actor=colleague, reference=case.reference, now=now)
    assert selectors.followers(case) == []
    assert Follow.objects.count() == 0


def test_only_those_who_see_a_case_may_follow_it(other_agent, case, now):
    with pytest.raises(NotFound):
        services.follow(actor=other_agent, reference=case.reference, now=now)


def test_a_former_colleague_is_not_told(agent, case, now, deliver):
    leaver = make_user("leaver@example.com", Role.AGENT)
    leaver.is_active = False
    leaver.save()
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": agent}, now=now)
    deliver()
    assert not Notification.objects.filter(recipient=leaver).exists()
