"""The shape of an arriving post, and its validation (pure).

Every source (webhooks, polling, file imports, the ingestion API) turns what it
receives into an `IncomingPost` and hands it to `actions.ingest_post` or the
bulk importer. Validation returns readable problems instead of raising, so an
importer can report the line and go on.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = ("x", "facebook", "instagram", "youtube", "email", "other")
KINDS = ("post", "comment", "reply", "mention", "quote", "dm", "review", "email")
DIRECTIONS = ("in", "out")
VISIBILITIES = ("public", "private")
PRIVATE_KINDS = ("dm", "email")
MAX_ID_CHARS = 512  # Post.platform_id, in_reply_to_id, platform_conversation_id
MAX_USER_ID_CHARS = 128  # Identity.platform_user_id
MAX_NAME_CHARS = 200
# Until ids were widened to 512 characters, ids longer than 128 (Instagram message ids run to
# ~180) were stored as "sha256:" + their hex digest; the migration rewrote the rows whose raw
# payload held the id, and look-ups also try the digest so that any other old row is still found.
LEGACY_ID_CHARS = 128


@dataclass
class AuthorData:
    platform_user_id: str
    handle: str = ""
    display_name: str = ""
    first_name: str = ""
    followers: int | None = None
    verified: bool | None = None


@dataclass
class IncomingPost:
    platform: str
    platform_id: str
    text: str
    created_at: datetime
    direction: str = "in"
    kind: str = "post"
    visibility: str = ""  # derived from kind when empty
    author: AuthorData | None = None
    in_reply_to_id: str = ""
    platform_conversation_id: str = ""
    language: str = ""
    url: str = ""
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    raw: Any = None
    # Set by validation when the text had to be shortened.
    truncated: bool = field(default=False)

    @property
    def inbound(self) -> bool:
        return self.direction == "in"


def clean_text(text: str, max_chars: int) -> tuple[str, bool]:
    """Drop characters no database stores (NUL) and cap the length.

    Everything else (emoji, zero-width and bidirectional marks) is kept as the
    customer wrote it; templates escape it on display.
    """
    text = text.replace("\x00", "")
    text = unicodedata.normalize("NFC", text)
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def digested_id(platform_id: str) -> str:
    """The form an id longer than LEGACY_ID_CHARS was stored under before ids were widened."""
    return "sha256:" + hashlib.sha256(platform_id.encode()).hexdigest()


def id_forms(platform_id: str) -> list[str]:
    """Every form `platform_id` may be stored under: itself, and its old digest when it is long."""
    if len(platform_id) > LEGACY_ID_CHARS:
        return [platform_id, digested_id(platform_id)]
    return [platform_id]


def clean_raw(value):
    """A platform payload as kept on the post, without NUL characters (PostgreSQL's jsonb refuses them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {clean_raw(k): clean_raw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_raw(v) for v in value]
    return value


def validate(post: IncomingPost, max_chars: int) -> list[str]:
    """Normalise `post` in place and return the problems that make it unusable."""
    problems: list[str] = []
    if post.platform not in PLATFORMS:
        problems.append(f"unknown platform {post.platform!r} (expected one of {', '.join(PLATFORMS)})")
    post.platform_id = str(post.platform_id or "").strip()
    if not post.platform_id:
        problems.append("missing platform id")
    elif len(post.platform_id) > MAX_ID_CHARS:
        problems.append(f"platform id longer than {MAX_ID_CHARS} characters")
    if post.kind not in KINDS:
        problems.append(f"unknown kind {post.kind!r} (expected one of {', '.join(KINDS)})")
    if post.direction not in DIRECTIONS:
        problems.append(f"unknown direction {post.direction!r} (expected 'in' or 'out')")
    if not post.visibility:
        post.visibility = "private" if post.kind in PRIVATE_KINDS else "public"
    if post.visibility not in VISIBILITIES:
        problems.append(f"unknown visibility {post.visibility!r} (expected 'public' or 'private')")
    if not isinstance(post.text, str):
        problems.append("text must be a string")
    else:
        post.text, post.truncated = clean_text(post.text, max_chars)
    if not isinstance(post.created_at, datetime) or post.created_at.tzinfo is None:
        problems.append("created_at must be a time with a time zone")
    for name in ("in_reply_to_id", "platform_conversation_id"):
        value = str(getattr(post, name) or "").strip()
        if len(value) > MAX_ID_CHARS:
            problems.append(f"{name} longer than {MAX_ID_CHARS} characters")
        setattr(post, name, value)
    for name in ("likes", "reposts", "replies"):
        value = getattr(post, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{name} must be a whole number ≥ 0")
    if post.direction == "in" and post.author is None:
        problems.append("an inbound post needs an author")
    if post.author is not None:
        post.author.platform_user_id = str(post.author.platform_user_id or "").strip()
        if not post.author.platform_user_id:
            problems.append("author has no platform user id")
        elif len(post.author.platform_user_id) > MAX_USER_ID_CHARS:
            problems.append(f"author id longer than {MAX_USER_ID_CHARS} characters")
        for name in ("handle", "display_name", "first_name"):
            value, _ = clean_text(str(getattr(post.author, name) or ""), MAX_NAME_CHARS)
            setattr(post.author, name, value.strip())
        if post.author.followers is not None and (
            not isinstance(post.author.followers, int) or post.author.followers < 0
        ):
            problems.append("author followers must be a whole number ≥ 0")
    post.language = str(post.language or "")[:16]
    post.url = str(post.url or "")[:500]
    post.raw = clean_raw(post.raw)
    return problems
