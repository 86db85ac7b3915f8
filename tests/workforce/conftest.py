"""Fixtures for service planning: six weeks of seeded arrivals up to today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.seeding import bulk
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it


@pytest.fixture
def history(db):
    """Six weeks of cases shaped like a real desk's (rapport.domain.arrivals), ending now."""
    bulk.seed(cases=1000, seed=19, now=timezone.now(), days=42)
