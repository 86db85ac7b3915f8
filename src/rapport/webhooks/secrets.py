"""Signing secrets. A receiver checks an HMAC, so we must hold the secret itself, not a hash of it
(unlike API tokens): it is encrypted at rest with a key derived from SECRET_KEY (Fernet: AES-128-CBC
with HMAC-SHA256), so a copy of the database alone does not let anyone sign as us. It is shown once,
when made or rotated; after that only its last four characters are shown."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet
from django.conf import settings

PREFIX = "whsec_"


def _fernet() -> Fernet:
    key = hashlib.sha256(b"rapport.webhooks.secrets:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def generate() -> str:
    """A new secret: 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
