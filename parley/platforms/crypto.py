"""Encryption of channel credentials at rest (Fernet, key from settings)."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = settings.PARLEY_CREDENTIALS_KEY
    if key:
        try:
            return Fernet(key.encode())
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                "PARLEY_CREDENTIALS_KEY must be a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    derived = hashlib.sha256(b"parley-credentials:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_credentials(values: dict) -> str:
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def decrypt_credentials(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ImproperlyConfigured(
            "Channel credentials cannot be decrypted: the credentials key changed. Re-enter them."
        ) from None
