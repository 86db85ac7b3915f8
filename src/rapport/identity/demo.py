"""Demo data for sign-in security: the admin's audit trail shows a week of what happens (single
sign-on, authenticator apps set up and used, a reset after a lost phone), so the pages are not
empty. No factor is set up for the demo's sign-ins: they sign in with a password as before."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.identity.models import SecurityEvent, SecurityEventKind


def seed_identity_demo(now: datetime) -> None:
    if SecurityEvent.objects.exists():
        return
    staff = list(User.objects.exclude(role=Role.CUSTOMER).order_by("id")[:6])
    admin = next((u for u in staff if u.role == Role.ADMIN), None)
    if not staff:
        return
    rows: list[SecurityEvent] = []
    for n, person in enumerate(staff):
        day = now - timedelta(days=6 - n % 6, hours=8 - n)
        rows.append(
            SecurityEvent(
                at=day,
                user=person,
                actor=person,
                email=person.email,
                kind=SecurityEventKind.FACTOR_ADDED,
                detail="Authenticator app",
                ip="192.0.2.10",
            )
        )
        rows.append(
            SecurityEvent(
                at=day + timedelta(minutes=1),
                user=person,
                actor=person,
                email=person.email,
                kind=SecurityEventKind.RECOVERY_CODES_MADE,
                ip="192.0.2.10",
            )
        )
        rows.append(
            SecurityEvent(
                at=day + timedelta(days=1),
                user=person,
                actor=person,
                email=person.email,
                kind=SecurityEventKind.FACTOR_USED,
                detail="Authenticator app",
                ip="192.0.2.10",
            )
        )
    lost = next((u for u in reversed(staff) if u != admin), None)
    if admin is not None and lost is not None:
        rows.append(
            SecurityEvent(
                at=now - timedelta(hours=3),
                user=lost,
                actor=admin,
                email=lost.email,
                kind=SecurityEventKind.FACTORS_RESET,
                detail="Lost phone on the train; identity checked by a call to their desk number",
                ip="192.0.2.11",
            )
        )
    SecurityEvent.objects.bulk_create(rows)
