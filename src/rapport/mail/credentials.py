"""Mailbox passwords: from the environment (preferred), or encrypted at rest with a key derived
from SECRET_KEY (Fernet: AES-128-CBC with HMAC-SHA256), so a database copy alone does not reveal them."""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from rapport.platform.errors import FieldError

NO_PASSWORD = "No password: set the environment variable named on the mailbox, or enter one."  # noqa: S105 - a message
UNREADABLE = "The stored password cannot be read (was SECRET_KEY changed?)."


def _fernet() -> Fernet:
    key = hashlib.sha256(b"rapport.mail.credentials:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def password_for(mailbox: object) -> str:
    env_name = getattr(mailbox, "password_env", "")
    if env_name and os.environ.get(env_name):
        return os.environ[env_name]
    token = getattr(mailbox, "password_encrypted", "")
    if token:
        try:
            return _fernet().decrypt(token.encode()).decode()
        except InvalidToken:
            raise FieldError(password=UNREADABLE) from None
    raise FieldError(password=NO_PASSWORD)
