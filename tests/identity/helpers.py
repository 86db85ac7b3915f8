"""Codes from an authenticator app, made as the app would (RFC 6238) at a time the test chooses."""

from __future__ import annotations

import time
from datetime import datetime

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_at(device: TOTPDevice, at: datetime | float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp() if isinstance(at, datetime) else (at if at is not None else time.time())
    return f"{totp.token():0{device.digits}d}"


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)
