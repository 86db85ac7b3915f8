"""The history of settings: who changed which rule, when, from what to what, in admin or a service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.test import Client

from rapport.accounts.models import User
from rapport.cases.models import Tag
from rapport.complaints.models import AdrScheme, AuthorityLimit, ComplaintSettings, RootCause
from rapport.feedback.models import FeedbackSettings, LoyaltyTier
from rapport.mail.models import Mailbox, MailTemplate
from rapport.platform import settings_history
from rapport.platform.admin import SettingsHistoryAdmin
from rapport.platform.models import SettingChange
from rapport.privacy.models import RetentionSchedule
from rapport.sla.models import Calendar, EscalationRule, Policy, SlaSettings

pytestmark = pytest.mark.django_db

SETTINGS = [
    AdrScheme,
    AuthorityLimit,
    ComplaintSettings,
    RootCause,
    SlaSettings,
    Calendar,
    Policy,
    EscalationRule,
    RetentionSchedule,
    FeedbackSettings,
    LoyaltyTier,
    Mailbox,
    MailTemplate,
]


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root@example.com", "a long admin password", name="Root Admin")


@pytest.fixture
def admin_client_(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.mark.parametrize("model", SETTINGS, ids=lambda m: m._meta.label)
def test_rules_and_settings_are_tracked_and_their_admin_keeps_the_history(model):
    assert settings_history.is_tracked(model)
    assert isinstance(admin.site._registry[model], SettingsHistoryAdmin)


def test_every_tracked_model_is_edited_in_admin_through_the_history_mixin():
    for entry in settings_history.tracked():
        found = admin.site._registry.get(entry.model)
        assert found is None or isinstance(found, SettingsHistoryAdmin), entry.label


def test_raising_an_authority_limit_in_admin_keeps_who_when_and_before_and_after(admin_client_, root):
    # given a limit of £20 for agents' goodwill
    limit = AuthorityLimit.objects.get(role="agent", kind="goodwill")
    AuthorityLimit.objects.filter(pk=limit.pk).update(limit_pence=2000)

    # when an admin raises it to £50
    response = admin_client_.post(
        f"/admin/complaints/authoritylimit/{limit.pk}/change/",
        {"role": "agent", "kind": "goodwill", "limit_pence": "5000"},
    )

    # then the change is kept with the values either side
    assert response.status_code == 302
    change = SettingChange.objects.get()
    assert (change.model, change.object_id, change.action, change.via) == (
        "complaints.authoritylimit",
        str(limit.pk),
        "changed",
        "admin",
    )
    assert (change.actor, change.actor_name) == (root, "Root Admin")
    assert change.fields == ["limit_pence"]
    assert (change.before["limit_pence"], change.after["limit_pence"]) == (2000, 5000)
    assert change.after["role"] == "agent"


def test_adding_and_deleting_in_admin_are_kept_and_saving_unchanged_is_not(admin_client_):
    form = {"name": "Faulty goods (test)", "code": "test-cause", "active": "on"}
    admin_client_.post("/admin/complaints/rootcause/add/", form)
    cause = RootCause.objects.get(code="test-cause")
    admin_client_.post(f"/admin/complaints/rootcause/{cause.pk}/change/", form)  # nothing changed
    admin_client_.post(f"/admin/complaints/rootcause/{cause.pk}/delete/", {"post": "yes"})

    history = list(SettingChange.objects.order_by("id").values_list("action", "object_id"))
    assert history == [("created", str(cause.pk)), ("deleted", str(cause.pk))]
    deleted = SettingChange.objects.get(action="deleted")
    assert deleted.before["code"] == "test-cause"
    assert deleted.after is None


def test_deleting_several_at_once_in_admin_keeps_each(admin_client_):
    tiers = [LoyaltyTier.objects.create(name=name, label=name, threshold_pence=100) for name in ("gold", "silver")]

    admin_client_.post(
        "/admin/feedback/loyaltytier/",
        {"action": "delete_selected", "_selected_action": [t.pk for t in tiers], "post": "yes"},
    )

    assert not LoyaltyTier.objects.exists()
    assert sorted(SettingChange.objects.values_list("object_repr", "action")) == [
        ("gold", "deleted"),
        ("silver", "deleted"),
    ]


def test_a_service_change_is_kept_the_same_way(manager):
    # given
    calendar = Calendar.objects.create(name="Office")
    policy = Policy(name="Standard", calendar=calendar, first_response=timedelta(hours=4), resolution=timedelta(days=5))
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)

    # when a service creates it, then shortens its resolution target
    settings_history.setting_save(actor=manager, instance=policy, reason="new policy", now=at)
    policy.resolution = timedelta(days=3)
    settings_history.setting_save(actor=manager, instance=policy, reason="board decision", now=at + timedelta(hours=1))
    settings_history.setting_save(actor=manager, instance=policy, now=at + timedelta(hours=2))  # no change

    # then both changes are kept, newest first, and the unchanged save is not
    created, changed = reversed(list(settings_history.setting_changes(kinds=[Policy])))
    assert (created.action, created.via, created.reason, created.before) == ("created", "service", "new policy", None)
    assert (changed.action, changed.fields, changed.actor, changed.reason) == (
        "changed",
        ["resolution"],
        manager,
        "board decision",
    )
    assert (changed.before["resolution"], changed.after["resolution"]) == ("P5DT00H00M00S", "P3DT00H00M00S")
    assert created.after["calendar"] == "Office"  # related rows by the name a reader knows


def test_a_service_delete_is_kept():
    schedule = RetentionSchedule.objects.create(category="test_category", keep_days=2190)

    settings_history.setting_delete(actor=None, instance=schedule, reason="replaced")

    change = SettingChange.objects.get()
    assert (change.action, change.object_id, change.actor, change.before["keep_days"]) == (
        "deleted",
        str(schedule.pk),
        None,
        2190,
    )


def test_a_model_that_is_not_a_setting_is_refused():
    with pytest.raises(ValueError, match="not a tracked setting"):
        settings_history.setting_save(actor=None, instance=Tag(name="billing"))
    assert not Tag.objects.exists()


def test_secrets_and_state_the_product_updates_itself_are_left_out():
    mailbox = Mailbox(name="Support", address="support@example.org", host="imap.example.org", username="support")
    mailbox.password_encrypted = "ciphertext"
    mailbox.last_error = "timeout"

    settings_history.setting_save(actor=None, instance=mailbox)

    after = SettingChange.objects.get().after
    assert after["host"] == "imap.example.org"
    assert {"password_encrypted", "last_error", "last_polled_at"}.isdisjoint(after)


def test_the_selector_narrows_to_a_period_a_kind_and_a_row():
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    limit = AuthorityLimit.objects.get(role="agent", kind="refund")
    limit.limit_pence = 12345
    settings_history.setting_save(actor=None, instance=limit, now=at)
    limit.limit_pence = 3000
    settings_history.setting_save(actor=None, instance=limit, now=at + timedelta(days=10))
    settings_history.setting_save(
        actor=None, instance=LoyaltyTier(name="gold", label="Gold", threshold_pence=1), now=at
    )

    assert settings_history.setting_changes().count() == 3
    assert settings_history.setting_changes(kinds=[AuthorityLimit]).count() == 2
    assert [c.after["limit_pence"] for c in settings_history.setting_changes(since=at + timedelta(days=1))] == [3000]
    assert settings_history.setting_changes(until=at + timedelta(days=1), instance=limit).count() == 1


def test_the_history_is_listed_read_only_in_admin(admin_client_):
    limit = AuthorityLimit.objects.get(role="agent", kind="refund")
    limit.limit_pence = 2000
    settings_history.setting_save(actor=None, instance=limit)
    limit.limit_pence = 5000
    settings_history.setting_save(actor=None, instance=limit)

    page = admin_client_.get("/admin/platform/settingchange/").content.decode()

    assert "<b>limit_pence</b>: 2000 → 5000" in page
    assert admin_client_.get("/admin/platform/settingchange/add/").status_code == 403
    change = SettingChange.objects.first()
    assert admin_client_.post(f"/admin/platform/settingchange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
