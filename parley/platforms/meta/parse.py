"""Meta webhook deliveries -> events (pure): Page feed, Messenger, Instagram comments, mentions, DMs."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from parley.inbox.ingest import AuthorData, IncomingPost

from ..base import Deleted, Edited, Event, Ignored, Liked, MentionRef, NewPost, ParseError, stored_id

OBJECTS = {"page": "facebook", "instagram": "instagram"}


def _time(value, default: datetime | None = None) -> datetime:
    """Meta sends seconds in some places and milliseconds in others."""
    if isinstance(value, str) and not value.isdigit():
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            raise ParseError(f"bad time {value!r}") from None
    try:
        number = int(value)
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise ParseError(f"bad time {value!r}") from None
    if number > 10**11:
        number /= 1000
    return datetime.fromtimestamp(number, tz=timezone.utc)


def _obj(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise ParseError(f"{what} is not an object")
    return value


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{what} is not a list")
    return value


def fb_url(object_id: str) -> str:
    return f"https://www.facebook.com/{object_id}"


def feed_events(page_id: str, value: dict, entry_time: datetime) -> list[Event]:
    item, verb = value.get("item"), value.get("verb")
    object_id = str(value.get("comment_id") or value.get("post_id") or "")
    if item in ("reaction", "like"):
        if verb == "add":
            return [Liked("facebook", page_id, platform_id=object_id, user_id=str((value.get("from") or {}).get("id", "")))]
        return [Ignored("facebook", page_id, reason=f"{item} {verb}")]
    if item not in ("comment", "status", "post", "photo", "video", "share"):
        return [Ignored("facebook", page_id, reason=f"feed item {item!r}")]
    if not object_id:
        raise ParseError("feed change without post_id or comment_id")
    at = _time(value.get("created_time"), entry_time)
    if verb == "remove":
        return [Deleted("facebook", page_id, platform_id=object_id, at=at)]
    if verb in ("hide", "unhide"):
        # The Page hid it (moderation): agents still see it, so it is not a deletion.
        return [Ignored("facebook", page_id, reason=f"{item} {object_id} {verb}")]
    if verb == "edited":
        return [Edited("facebook", page_id, platform_id=object_id, text=str(value.get("message") or ""), at=at)]
    if verb != "add":
        return [Ignored("facebook", page_id, reason=f"feed verb {verb!r}")]
    sender = _obj(value.get("from"), "feed change 'from'")
    own = str(sender.get("id")) == page_id
    post_id = str(value.get("post_id") or "")
    comment = item == "comment"
    parent = str(value.get("parent_id") or "") if comment else ""
    post = IncomingPost(
        platform="facebook",
        platform_id=object_id,
        text=str(value.get("message") or ""),
        created_at=at,
        direction="out" if own else "in",
        kind=("reply" if own else "comment") if comment else "post",
        author=None if own else AuthorData(platform_user_id=str(sender.get("id") or ""), display_name=str(sender.get("name") or "")),
        in_reply_to_id=parent or (post_id if comment else ""),
        platform_conversation_id=post_id,
        url=fb_url(object_id),
        raw=value,
    )
    return [NewPost("facebook", page_id, post=post, own=own)]


def instagram_change(account_id: str, field: str, value: dict, entry_time: datetime) -> list[Event]:
    if field == "mentions":
        if not value.get("comment_id") and not value.get("media_id"):
            raise ParseError("mention without media_id or comment_id")
        return [MentionRef("instagram", account_id, media_id=str(value.get("media_id") or ""),
                           comment_id=str(value.get("comment_id") or ""))]
    if field not in ("comments", "live_comments"):
        return [Ignored("instagram", account_id, reason=f"field {field!r}")]
    comment_id = str(value.get("id") or "")
    sender = _obj(value.get("from"), "comment 'from'")
    if not comment_id:
        raise ParseError("instagram comment without id")
    media = value.get("media") if isinstance(value.get("media"), dict) else {}
    media_id = str(media.get("id") or "")
    own = str(sender.get("id")) == account_id
    post = IncomingPost(
        platform="instagram",
        platform_id=comment_id,
        text=str(value.get("text") or ""),
        created_at=_time(value.get("timestamp"), entry_time),
        direction="out" if own else "in",
        kind="reply" if own else "comment",
        author=None if own else AuthorData(platform_user_id=str(sender.get("id") or ""), handle=str(sender.get("username") or "")),
        in_reply_to_id=str(value.get("parent_id") or media_id),
        platform_conversation_id=media_id,
        raw=value,
    )
    return [NewPost("instagram", account_id, post=post, own=own)]


def messaging_events(platform: str, account_id: str, item: dict) -> list[Event]:
    sender = str(_obj(item.get("sender"), "messaging sender").get("id") or "")
    recipient = str(_obj(item.get("recipient"), "messaging recipient").get("id") or "")
    at = _time(item.get("timestamp"))
    if isinstance(item.get("message_edit"), dict):
        edit = item["message_edit"]
        return [Edited(platform, account_id, platform_id=stored_id(edit.get("mid")), text=str(edit.get("text") or ""), at=at)]
    message = item.get("message")
    if not isinstance(message, dict):
        kinds = sorted(k for k in item if k not in ("sender", "recipient", "timestamp"))
        return [Ignored(platform, account_id, reason=f"messaging {', '.join(kinds) or 'event'}")]
    mid = stored_id(message.get("mid"))
    if not mid:
        raise ParseError("message without mid")
    if message.get("is_deleted"):
        return [Deleted(platform, account_id, platform_id=mid, at=at)]
    own = bool(message.get("is_echo")) or sender == account_id
    customer = recipient if own else sender
    text = str(message.get("text") or "")
    if not text and isinstance(message.get("attachments"), list):
        kinds = ", ".join(str(a.get("type", "file")) for a in message["attachments"] if isinstance(a, dict))
        text = f"[attachment: {kinds}]"
    post = IncomingPost(
        platform=platform,
        platform_id=mid,
        text=text,
        created_at=at,
        direction="out" if own else "in",
        kind="dm",
        author=AuthorData(platform_user_id=customer),
        raw=item,
    )
    return [NewPost(platform, account_id, post=post, own=own)]


def parse(body: bytes) -> list[Event]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"not JSON: {error}") from None
    data = _obj(data, "delivery")
    platform = OBJECTS.get(data.get("object"))
    if platform is None:
        raise ParseError(f"object {data.get('object')!r} is not page or instagram")
    events: list[Event] = []
    for entry in _list(data.get("entry"), "entry"):
        entry = _obj(entry, "entry")
        account_id = str(entry.get("id") or "")
        if not account_id:
            raise ParseError("entry without id")
        entry_time = _time(entry.get("time"), datetime.now(timezone.utc))
        for change in _list(entry.get("changes"), "changes"):
            change = _obj(change, "change")
            value = _obj(change.get("value"), "change value")
            if platform == "facebook":
                if change.get("field") != "feed":
                    events.append(Ignored(platform, account_id, reason=f"field {change.get('field')!r}"))
                    continue
                events += feed_events(account_id, value, entry_time)
            else:
                events += instagram_change(account_id, str(change.get("field")), value, entry_time)
        for item in _list(entry.get("messaging"), "messaging"):
            events += messaging_events(platform, account_id, _obj(item, "messaging item"))
    return events
