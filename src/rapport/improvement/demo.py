"""Demo data for continuous improvement."""

from __future__ import annotations

from datetime import datetime


def seed_improvement_demo(now: datetime) -> None:
    return None
