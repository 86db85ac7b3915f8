"""How each person hears of each kind (rapport.domain.notifications)."""

from __future__ import annotations

from rapport.domain import notifications as rules


def test_without_a_choice_a_kind_shows_in_the_app_only():
    channel = rules.channel_for(rules.ASSIGNED, {})
    assert channel == rules.IN_APP
    assert rules.shows_in_app(channel)
    assert not rules.sends_email(channel)


def test_each_choice_is_followed_and_a_stored_nonsense_falls_back_to_the_default():
    chosen = {
        rules.ASSIGNED: rules.BOTH,
        rules.MENTIONED: rules.EMAIL,
        rules.SLA_WARNING: rules.NONE,
        rules.CUSTOMER_REPLY: "carrier pigeon",
    }
    assert rules.shows_in_app(rules.channel_for(rules.ASSIGNED, chosen))
    assert rules.sends_email(rules.BOTH)
    assert not rules.shows_in_app(rules.channel_for(rules.MENTIONED, chosen))
    assert rules.sends_email(rules.channel_for(rules.MENTIONED, chosen))
    none = rules.channel_for(rules.SLA_WARNING, chosen)
    assert not rules.shows_in_app(none)
    assert not rules.sends_email(none)
    assert rules.channel_for(rules.CUSTOMER_REPLY, chosen) == rules.IN_APP
