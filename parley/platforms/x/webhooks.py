"""X Account Activity API webhooks: the CRC challenge and the delivery signature."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

SIGNATURE_HEADER = "x-twitter-webhooks-signature"


def app_secret() -> str:
    return settings.PARLEY_X_CONSUMER_SECRET


def sign(secret: str, message: bytes) -> str:
    """"sha256=" + base64 HMAC-SHA256, the form of both the CRC answer and the delivery signature."""
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def crc_response(secret: str, crc_token: str) -> dict:
    return {"response_token": sign(secret, crc_token.encode())}


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """Constant-time comparison of the header with the body's signature."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())
