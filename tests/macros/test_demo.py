"""The demo macros are realistic and valid: every placeholder known, every action allowed."""

from __future__ import annotations

from rapport.domain import placeholders
from rapport.domain.case_rules import Status
from rapport.macros import demo
from rapport.macros.models import Macro, Signature


def test_every_demo_macro_uses_only_known_placeholders_and_statuses():
    assert len(demo.MACROS) >= 10
    for macro in (*demo.MACROS, demo.PERSONAL):
        assert placeholders.problems(macro.reply) == [], macro.name
        assert placeholders.problems(macro.note) == [], macro.name
        assert not macro.set_status or macro.set_status in {s.value for s in Status}


def test_the_demo_seeds_macros_and_signatures_once(agent, team_leader, manager, team, now):
    demo.seed_demo(now)
    demo.seed_demo(now)
    assert Macro.objects.filter(scope="shared").count() == 5
    assert Macro.objects.filter(scope="team", team=team).count() == 2  # the Front line's
    assert Signature.objects.filter(team=team).exists()
    assert Signature.objects.filter(user=agent).exists()
