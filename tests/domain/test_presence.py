"""Who else is on a case (rapport.domain.presence)."""

from __future__ import annotations

from rapport.domain.presence import NOTING, REPLYING, VIEWING, Presence, arrive, others, sentence


def test_a_poll_keeps_what_someone_was_doing_and_an_entry_expires():
    held = arrive({}, user_id=1, name="Megan Jones", state=REPLYING, now=100, ttl=30)
    held = arrive(held, user_id=1, name="Megan Jones", state=None, now=110, ttl=30)
    assert held[1].state == REPLYING
    assert held[1].until == 140
    assert others(held, user_id=2, now=139) == [held[1]]
    assert others(held, user_id=2, now=140) == []


def test_arriving_drops_the_expired_and_an_unknown_state_reads_as_viewing():
    held = {9: Presence(9, "Gone", VIEWING, until=50)}
    held = arrive(held, user_id=1, name="Sam", state="dancing", now=100, ttl=30)
    assert set(held) == {1}
    assert held[1].state == VIEWING


def test_others_leave_me_out_and_list_writers_first_then_by_name():
    held = {
        1: Presence(1, "Me", REPLYING, 200),
        2: Presence(2, "zoe Adams", VIEWING, 200),
        3: Presence(3, "Bea Lewis", VIEWING, 200),
        4: Presence(4, "Yusuf Khan", NOTING, 200),
    }
    assert [p.user_id for p in others(held, user_id=1, now=100)] == [4, 3, 2]


def test_the_sentence_says_who_does_what():
    people = [
        Presence(4, "Megan Jones", REPLYING, 1),
        Presence(3, "Sam Patel", NOTING, 1),
        Presence(2, "Bea", VIEWING, 1),
    ]
    assert sentence(people) == "Megan Jones is replying. Sam Patel is writing a note. Bea is viewing."
    assert sentence([]) == ""
