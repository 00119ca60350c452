"""Meta (Facebook Pages, Messenger, Instagram) webhooks: hub.challenge and X-Hub-Signature-256."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

SIGNATURE_HEADER = "X-Hub-Signature-256"


def app_secret() -> str:
    return settings.PARLEY_META_APP_SECRET


def app_secrets() -> tuple[str, ...]:
    """The secrets a delivery to /hooks/meta/ may be signed with: the Meta (Facebook) app's, and the
    Instagram app's for "Instagram API with Instagram Login" (those deliveries are signed with it)."""
    return tuple(s for s in (settings.PARLEY_META_APP_SECRET, settings.PARLEY_INSTAGRAM_APP_SECRET) if s)


def verify_token() -> str:
    """The token to paste into Meta's webhook form; derived from SECRET_KEY unless set."""
    if settings.PARLEY_META_VERIFY_TOKEN:
        return settings.PARLEY_META_VERIFY_TOKEN
    return hashlib.sha256(b"parley-meta-verify:" + settings.SECRET_KEY.encode()).hexdigest()[:32]


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().lower().encode())


def signature_ok_any(secrets, body: bytes, header: str) -> bool:
    """True when `header` is the signature of `body` with one of `secrets` (each compared in constant time)."""
    results = [signature_ok(secret, body, header) for secret in secrets]  # no early exit: same work either way
    return any(results)


def challenge_answer(params) -> str | None:
    """hub.challenge when the subscribe request carries our verify token, else None."""
    if params.get("hub.mode") != "subscribe":
        return None
    token = params.get("hub.verify_token", "")
    if not hmac.compare_digest(token.encode(), verify_token().encode()):
        return None
    return params.get("hub.challenge", "")
