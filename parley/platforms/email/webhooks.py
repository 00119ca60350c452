"""Inbound mail webhook: a mail relay (Mailgun/SendGrid "raw MIME" routes, a Postfix pipe, ...) POSTs the
raw RFC 5322 message to /hooks/email/, signed with HMAC-SHA256 (hex) of the body in X-Parley-Signature."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

SIGNATURE_HEADER = "X-Parley-Signature"


def app_secret() -> str:
    return settings.PARLEY_EMAIL_WEBHOOK_SECRET


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().lower().encode())
