"""Parley's generic post format (JSON), shared by the JSON-lines importer and the
ingestion API. Documented in docs/import-format.md.

    {"platform": "x", "id": "1234", "kind": "mention", "direction": "in",
     "visibility": "public", "text": "...", "created_at": "2026-11-20T10:00:00Z",
     "channel": "AcmeHelp",
     "author": {"id": "42", "handle": "dana", "name": "Dana Smith",
                "first_name": "Dana", "followers": 120, "verified": false},
     "in_reply_to": "1233", "conversation_id": "1200", "language": "en",
     "url": "https://...", "metrics": {"likes": 3, "reposts": 0, "replies": 1},
     "raw": {...}}

Required: platform, id, text, created_at, and author for inbound posts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .ingest import AuthorData, IncomingPost


class FormatError(ValueError):
    """The record is not in Parley's post format; the message says why."""


def parse_time(value: Any, field: str = "created_at") -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise FormatError(f"{field} must be an ISO 8601 time such as 2026-11-20T10:00:00Z")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FormatError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise FormatError(f"{field} {value!r} has no time zone (add Z or +00:00)")
    return moment


def _int(data: dict, key: str, where: str) -> int:
    value = data.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"{where}{key} must be a whole number")
    return value


def _str(data: dict, key: str, where: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(f"{where}{key} must be a string")
    return value


def post_from_dict(data: Any) -> tuple[IncomingPost, str]:
    """An IncomingPost and the channel reference (the brand's account id or handle)."""
    if not isinstance(data, dict):
        raise FormatError("each record must be a JSON object")
    for key in ("platform", "id", "text", "created_at"):
        if key not in data:
            raise FormatError(f"missing field {key!r}")
    author = None
    raw_author = data.get("author")
    if raw_author is not None:
        if not isinstance(raw_author, dict):
            raise FormatError("author must be an object")
        if "id" not in raw_author:
            raise FormatError("author.id is required")
        followers = raw_author.get("followers")
        if followers is not None and (isinstance(followers, bool) or not isinstance(followers, int)):
            raise FormatError("author.followers must be a whole number")
        verified = raw_author.get("verified")
        if verified is not None and not isinstance(verified, bool):
            raise FormatError("author.verified must be true or false")
        author = AuthorData(
            platform_user_id=_str(raw_author, "id", "author."),
            handle=_str(raw_author, "handle", "author.").lstrip("@"),
            display_name=_str(raw_author, "name", "author."),
            first_name=_str(raw_author, "first_name", "author."),
            followers=followers,
            verified=verified,
        )
    metrics = data.get("metrics") or {}
    if not isinstance(metrics, dict):
        raise FormatError("metrics must be an object")
    text = data.get("text")
    if not isinstance(text, str):
        raise FormatError("text must be a string")
    post = IncomingPost(
        platform=_str(data, "platform"),
        platform_id=_str(data, "id"),
        text=text,
        created_at=parse_time(data.get("created_at")),
        direction=_str(data, "direction") or "in",
        kind=_str(data, "kind") or "post",
        visibility=_str(data, "visibility"),
        author=author,
        in_reply_to_id=_str(data, "in_reply_to"),
        platform_conversation_id=_str(data, "conversation_id"),
        language=_str(data, "language"),
        url=_str(data, "url"),
        likes=_int(metrics, "likes", "metrics."),
        reposts=_int(metrics, "reposts", "metrics."),
        replies=_int(metrics, "replies", "metrics."),
        raw=data.get("raw"),
    )
    return post, _str(data, "channel")
