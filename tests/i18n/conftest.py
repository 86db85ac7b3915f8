"""Fixtures shared with the apps whose customer documents are checked in Welsh here."""

from __future__ import annotations

from tests.complaints.conftest import complaint_case, heat_done  # noqa: F401 - shared fixtures
from tests.feedback.conftest import dispatch, resolve  # noqa: F401 - shared fixtures
