"""Who a single sign-on person is in Rapport, and when a second factor is needed.

Pure rules, no Django: the SSO claims (a dict the identity provider signed) are mapped to a role
and teams by rules an operator writes, and the multi-factor policy says, from a role and the
factors a person has, what they must do before they reach the desk.

Sources:
- OpenID Connect Core 1.0 §5.1 (standard claims: ``email``, ``email_verified``, ``name``) and §2
  (``amr``, the authentication methods the provider used).
- RFC 8176 (Authentication Method Reference values: ``mfa``, ``otp``, ``hwk``, ``swk``, ``fpt``).
- ICO, "A guide to data security" (UK GDPR Art 32(1)): multi-factor authentication is an
  appropriate technical measure for access to personal data; NCSC "Multi-factor authentication
  for your corporate online services" (2024): require it for privileged accounts first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# The staff roles from least to most authority (``accounts.models.Role``); a person in several
# mapped groups gets the highest.
ROLE_ORDER: tuple[str, ...] = ("agent", "team_leader", "manager", "admin")

NO_EMAIL = "The identity provider did not send an email address."
EMAIL_NOT_VERIFIED = "The identity provider has not verified this email address."
NO_ROLE = "None of your groups at the identity provider gives a role in Rapport."
BAD_RULE = "Write each rule as group=value, separated by commas: {rule!r} is not."
UNKNOWN_ROLE = "{role!r} is not a staff role: use agent, team_leader, manager or admin."


@dataclass(frozen=True)
class MappingRules:
    """How claims become a role and teams.

    ``roles`` and ``teams`` map a group name (a value of the ``groups_claim`` claim) to a role or a
    team name. ``default_role`` is given to a person none of whose groups names a role (blank:
    refuse them). ``require_verified_email``: refuse an email the provider has not marked
    verified (``email_verified``), so nobody takes over an account by registering its address at a
    provider that does not check it (OIDC Core §5.1, "email_verified").
    """

    groups_claim: str = "groups"
    roles: Mapping[str, str] = field(default_factory=dict)
    teams: Mapping[str, str] = field(default_factory=dict)
    default_role: str = ""
    require_verified_email: bool = True


@dataclass(frozen=True)
class Mapped:
    """What the claims give: the email to match, the name, the role and teams, or why they are
    refused (``refusal`` non-empty: nobody signs in)."""

    email: str
    name: str
    role: str
    teams: tuple[str, ...]
    groups: tuple[str, ...]
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusal


def parse_rules(text: str, *, roles: bool) -> dict[str, str]:
    """``"rapport-admins=admin, rapport-agents=agent"`` as a dict; raises ``ValueError`` naming the
    bad rule. With ``roles``, each value must be a staff role."""
    parsed: dict[str, str] = {}
    for raw in text.split(","):
        rule = raw.strip()
        if not rule:
            continue
        group, sep, value = rule.rpartition("=")
        if not sep or not group.strip() or not value.strip():
            raise ValueError(BAD_RULE.format(rule=rule))
        value = value.strip()
        if roles and value not in ROLE_ORDER:
            raise ValueError(UNKNOWN_ROLE.format(role=value))
        parsed[group.strip()] = value
    return parsed


def _groups(claims: Mapping[str, object], claim: str) -> tuple[str, ...]:
    value = claims.get(claim)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return tuple(str(item) for item in value)
    return ()


def _truthy(value: object) -> bool:
    # Some providers send "true" as a string (Amazon Cognito, older Okta set-ups).
    return value is True or (isinstance(value, str) and value.lower() == "true")


def map_claims(claims: Mapping[str, object], rules: MappingRules) -> Mapped:
    """The role and teams for a person, from the claims their provider signed."""
    email = str(claims.get("email") or "").strip().lower()
    name = (
        str(claims.get("name") or "").strip()
        or " ".join(str(claims.get(part) or "").strip() for part in ("given_name", "family_name")).strip()
    )
    groups = _groups(claims, rules.groups_claim)
    roles = [rules.roles[g] for g in groups if g in rules.roles]
    role = max(roles, key=ROLE_ORDER.index) if roles else rules.default_role
    teams = tuple(sorted({rules.teams[g] for g in groups if g in rules.teams}))
    refusal = ""
    if not email:
        refusal = NO_EMAIL
    elif rules.require_verified_email and not _truthy(claims.get("email_verified")):
        refusal = EMAIL_NOT_VERIFIED
    elif not role:
        refusal = NO_ROLE
    return Mapped(email=email, name=name or email, role=role, teams=teams, groups=groups, refusal=refusal)


# --- multi-factor authentication -------------------------------------------------------------

# RFC 8176 values that mean the provider itself checked more than a password.
MULTI_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "swk", "fpt", "face", "sc"})


class Step(StrEnum):
    """What a person must do after the first factor before they reach their pages."""

    DONE = "ok"  # nothing more: verified, or not required and no factor set up
    VERIFY = "verify"  # they have a factor: use it
    ENROL = "enrol"  # their role requires a factor and they have none yet: set one up


def step_after_sign_in(
    *,
    role: str,
    has_factor: bool,
    required_roles: Sequence[str],
    remembered: bool = False,
    provider_amr: Sequence[str] = (),
    trust_provider_mfa: bool = False,
) -> Step:
    """The next step after a password or SSO sign-in.

    A person who set up a factor always uses it (a customer who turned on TOTP, an agent whose
    role does not require it), unless this browser was remembered after a recent use, or the
    provider says it already checked a second factor and the operator trusts it (``amr``, RFC
    8176). A person whose role requires a factor and has none must set one up first.
    """
    provider_checked = trust_provider_mfa and bool(MULTI_FACTOR_AMR.intersection(provider_amr))
    if has_factor:
        return Step.DONE if remembered or provider_checked else Step.VERIFY
    if role in required_roles and not provider_checked:
        return Step.ENROL
    return Step.DONE
