from __future__ import annotations

import pytest

from rapport.timetracking.models import TimeCategory


@pytest.fixture
def investigation(db):
    return TimeCategory.objects.get(name="Investigation")


@pytest.fixture
def customer_contact(db):
    return TimeCategory.objects.get(name="Customer contact")
