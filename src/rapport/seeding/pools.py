"""Names, companies and addresses drawn once from Faker (en_GB), then combined cheaply per row.

A Faker call costs tens of microseconds; a million customers and cases need millions of values, so
the seeders draw from these pools with ``random.Random`` instead. Same seed, same pools.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from rapport.seeding.plans import DAY, day_text
from rapport.seeding.scenarios import DEPARTMENTS, Scenario

# Addresses that cannot reach anyone: RFC 2606 reserves these domains for examples.
CUSTOMER_DOMAINS = ("example.com", "example.org", "example.net")
STAFF_DOMAIN = "rapport.example"


@dataclass(frozen=True)
class Pools:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[str, ...]
    postcodes: tuple[str, ...]
    phones: tuple[str, ...]
    jobs: tuple[str, ...]

    @classmethod
    def build(cls, seed: int, size: int = 400) -> Pools:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        return cls(
            first_names=tuple(fake.first_name() for _ in range(size)),
            last_names=tuple(fake.last_name() for _ in range(size)),
            companies=tuple(fake.company() for _ in range(size // 2)),
            streets=tuple(fake.street_address() for _ in range(size)),
            towns=tuple(fake.city() for _ in range(size // 2)),
            postcodes=tuple(fake.postcode() for _ in range(size)),
            phones=tuple(fake.phone_number() for _ in range(size)),
            jobs=tuple(fake.job() for _ in range(size // 4)),
        )

    def person(self, rng: random.Random) -> tuple[str, str]:
        return rng.choice(self.first_names), rng.choice(self.last_names)

    def address(self, rng: random.Random) -> str:
        return f"{rng.choice(self.streets)}\n{rng.choice(self.towns)}\n{rng.choice(self.postcodes)}"

    def email(self, rng: random.Random, first: str, last: str) -> str:
        local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        return f"{local}{rng.randrange(1, 100)}@{rng.choice(CUSTOMER_DOMAINS)}"

    def slots(self, rng: random.Random, scenario: Scenario, *, first: str, agent: str, created_at: int) -> Slots:
        """Values for a scenario's templates (see rapport.seeding.scenarios), drawn when first used."""
        return Slots(self, rng, scenario, created_at, first=first, agent=agent)


class Slots(dict[str, str]):
    """Template values made on demand: most templates use a few of the slots, and a million cases
    should not pay for the rest. Same templates, same order of use, same values."""

    def __init__(self, pools: Pools, rng: random.Random, scenario: Scenario, created_at: int, **known: str) -> None:
        super().__init__(known)
        self.pools = pools
        self.rng = rng
        self.scenario = scenario
        self.created_at = created_at

    def __missing__(self, key: str) -> str:
        rng = self.rng
        pools = self.pools
        if key == "order":
            value = f"RD{rng.randrange(100000, 999999)}"
        elif key == "amount":
            value = f"£{rng.randrange(499, 45000) / 100:,.2f}"
        elif key == "date":
            value = day_text(self.created_at - rng.randrange(0, 20) * DAY)
        elif key == "product":
            value = rng.choice(self.scenario.products)
        elif key == "account":
            value = str(rng.randrange(10_000_000, 99_999_999))
        elif key == "postcode":
            value = rng.choice(pools.postcodes)
        elif key == "town":
            value = rng.choice(pools.towns)
        elif key == "engineer":
            value = rng.choice(pools.first_names)
        elif key == "starter":
            value = f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}"
        elif key == "department":
            value = rng.choice(DEPARTMENTS)
        elif key == "days":
            value = str(rng.randrange(2, 15))
        else:
            raise KeyError(key)
        self[key] = value
        return value
