"""The pure rules: claims to a role and teams, and the step after signing in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import identity as rules
from rapport.domain.identity import MappingRules, Step, map_claims, parse_rules, step_after_sign_in

RULES = MappingRules(
    roles={"desk": "agent", "leads": "team_leader", "managers": "manager", "it-admins": "admin"},
    teams={"billing": "Billing", "front": "Front line"},
)


def claims(**extra: object) -> dict[str, object]:
    return {"email": "Ada@Example.org", "email_verified": True, "name": "Ada Lovelace", **extra}


def test_groups_give_the_highest_role_and_every_mapped_team():
    mapped = map_claims(claims(groups=["desk", "managers", "billing", "front", "other"]), RULES)
    assert (mapped.email, mapped.role, mapped.teams, mapped.allowed) == (
        "ada@example.org",
        "manager",
        ("Billing", "Front line"),
        True,
    )


@given(st.permutations(["desk", "leads", "managers", "billing"]))
def test_the_order_of_groups_does_not_matter(groups):
    assert map_claims(claims(groups=groups), RULES).role == "manager"


@pytest.mark.parametrize(
    ("given_claims", "refusal"),
    [
        ({"email_verified": True, "groups": ["desk"]}, rules.NO_EMAIL),
        (claims(email_verified=False, groups=["desk"]), rules.EMAIL_NOT_VERIFIED),
        (claims(email_verified="false", groups=["desk"]), rules.EMAIL_NOT_VERIFIED),
        (claims(groups=["nothing-mapped"]), rules.NO_ROLE),
        (claims(), rules.NO_ROLE),
    ],
)
def test_refusals(given_claims, refusal):
    assert map_claims(given_claims, RULES).refusal == refusal


def test_a_provider_that_sends_verified_as_text_or_one_group_as_text():
    mapped = map_claims(claims(email_verified="true", groups="it-admins"), RULES)
    assert (mapped.role, mapped.allowed) == ("admin", True)


def test_a_default_role_and_trusting_the_providers_email():
    lenient = MappingRules(default_role="agent", require_verified_email=False)
    mapped = map_claims({"email": "x@example.org", "given_name": "Xan", "family_name": "Li"}, lenient)
    assert (mapped.role, mapped.name, mapped.allowed) == ("agent", "Xan Li", True)


def test_another_groups_claim():
    roles_claim = MappingRules(groups_claim="roles", roles={"Rapport.Agent": "agent"})
    assert map_claims(claims(roles=["Rapport.Agent"]), roles_claim).role == "agent"


def test_parsing_rules_from_the_environment():
    assert parse_rules(" a=agent , b = admin,,", roles=True) == {"a": "agent", "b": "admin"}
    assert parse_rules("Rapport Billing=Billing", roles=False) == {"Rapport Billing": "Billing"}
    with pytest.raises(ValueError, match="is not a staff role"):
        parse_rules("a=boss", roles=True)
    with pytest.raises(ValueError, match="group=value"):
        parse_rules("justaname", roles=False)


@pytest.mark.parametrize(
    ("has_factor", "required", "remembered", "amr", "trust", "expected"),
    [
        (False, False, False, (), False, Step.DONE),
        (True, False, False, (), False, Step.VERIFY),
        (True, True, True, (), False, Step.DONE),
        (False, True, True, (), False, Step.ENROL),
        (False, True, False, ("pwd", "mfa"), True, Step.DONE),
        (False, True, False, ("pwd", "mfa"), False, Step.ENROL),
        (True, True, False, ("hwk",), True, Step.DONE),
        (True, True, False, ("pwd",), True, Step.VERIFY),
    ],
)
def test_the_step_after_signing_in(has_factor, required, remembered, amr, trust, expected):
    step = step_after_sign_in(
        role="manager",
        has_factor=has_factor,
        required_roles=("manager",) if required else (),
        remembered=remembered,
        provider_amr=amr,
        trust_provider_mfa=trust,
    )
    assert step == expected


@given(role=st.sampled_from(["agent", "team_leader", "manager", "admin", "customer"]), has_factor=st.booleans())
def test_nobody_with_a_factor_skips_it_without_a_reason(role, has_factor):
    step = step_after_sign_in(role=role, has_factor=has_factor, required_roles=("manager", "admin"))
    assert (step == Step.VERIFY) == has_factor
