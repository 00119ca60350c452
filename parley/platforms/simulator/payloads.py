"""Webhook deliveries in the platforms' formats (X Account Activity, Meta Page / Instagram)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

X_TIME = "%a %b %d %H:%M:%S +0000 %Y"


def _ms(at: datetime) -> str:
    return str(int(at.timestamp() * 1000))


def x_user(user_id: str, handle: str, name: str = "", followers: int = 0) -> dict:
    return {"id": int(user_id) if user_id.isdigit() else user_id, "id_str": user_id, "name": name or handle,
            "screen_name": handle, "followers_count": followers, "verified": False}


def x_tweet(tweet_id: str, text: str, user: dict, at: datetime, *, reply_to: str = "", reply_to_user: str = "",
            quote: bool = False) -> dict:
    return {
        "created_at": at.astimezone(timezone.utc).strftime(X_TIME),
        "id": int(tweet_id), "id_str": tweet_id, "text": text, "truncated": False,
        "in_reply_to_status_id": int(reply_to) if reply_to else None,
        "in_reply_to_status_id_str": reply_to or None,
        "in_reply_to_user_id_str": reply_to_user or None,
        "user": user, "is_quote_status": quote, "quote_count": 0, "reply_count": 0,
        "retweet_count": 0, "favorite_count": 0, "lang": "en", "timestamp_ms": _ms(at),
    }


def x_delivery(for_user_id: str, **events) -> bytes:
    """An Account Activity body: x_delivery("1001", tweet_create_events=[...], ...)."""
    return json.dumps({"for_user_id": for_user_id, **events}).encode()


def x_dm(event_id: str, sender: str, recipient: str, text: str, at: datetime) -> dict:
    return {"type": "message_create", "id": event_id, "created_timestamp": _ms(at),
            "message_create": {"target": {"recipient_id": recipient}, "sender_id": sender,
                               "message_data": {"text": text, "entities": {}}}}


def x_delete(tweet_id: str, user_id: str, at: datetime) -> dict:
    return {"status": {"id": tweet_id, "user_id": user_id}, "timestamp_ms": _ms(at)}


def x_favorite(tweet: dict, user: dict, at: datetime) -> dict:
    return {"id": f"fav{tweet['id_str']}{user['id_str']}", "created_at": at.strftime(X_TIME),
            "timestamp_ms": int(_ms(at)), "favorited_status": tweet, "user": user}


def meta_delivery(obj: str, entries: list[dict]) -> bytes:
    return json.dumps({"object": obj, "entry": entries}).encode()


def fb_feed_entry(page_id: str, at: datetime, *values: dict) -> dict:
    return {"id": page_id, "time": int(at.timestamp()), "changes": [{"field": "feed", "value": v} for v in values]}


def fb_comment(comment_id: str, post_id: str, text: str, sender: dict, at: datetime, *, verb: str = "add",
               parent_id: str = "") -> dict:
    return {"from": sender, "post_id": post_id, "comment_id": comment_id, "parent_id": parent_id or post_id,
            "message": text, "created_time": int(at.timestamp()), "item": "comment", "verb": verb}


def messaging_entry(account_id: str, at: datetime, sender: str, recipient: str, mid: str, text: str,
                    echo: bool = False) -> dict:
    message = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    return {"id": account_id, "time": int(at.timestamp() * 1000),
            "messaging": [{"sender": {"id": sender}, "recipient": {"id": recipient},
                           "timestamp": int(at.timestamp() * 1000), "message": message}]}


def email(message_id: str, sender: str, name: str, to: str, subject: str, text: str, at: datetime,
          in_reply_to: str = "") -> bytes:
    """A plain-text RFC 5322 message (what a mailbox holds, or a mail relay forwards)."""
    from email.message import EmailMessage
    from email.utils import format_datetime, formataddr

    message = EmailMessage()
    message["From"] = formataddr((name, sender))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at.astimezone(timezone.utc))
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = in_reply_to
    message.set_content(text)
    return bytes(message)
