"""X Account Activity deliveries (v1.1 objects) and API v2 tweets -> events (pure)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from parley.inbox.ingest import AuthorData, IncomingPost

from ..base import Deleted, Edited, Event, Ignored, Liked, NewPost, ParseError

PLATFORM = "x"


def tweet_url(handle: str, tweet_id: str) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{tweet_id}"


def _ms(value) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ParseError(f"bad timestamp_ms {value!r}") from None


def _v11_time(tweet: dict) -> datetime:
    if tweet.get("timestamp_ms"):
        return _ms(tweet["timestamp_ms"])
    try:
        return datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")
    except (KeyError, TypeError, ValueError):
        raise ParseError("tweet without a readable created_at") from None


def _author(user: dict) -> AuthorData:
    return AuthorData(
        platform_user_id=str(user.get("id_str") or user.get("id") or ""),
        handle=str(user.get("screen_name") or user.get("username") or ""),
        display_name=str(user.get("name") or ""),
        followers=_count(user.get("followers_count")),
        verified=bool(user.get("verified")) if "verified" in user else None,
    )


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _tweet_text(tweet: dict) -> str:
    extended = tweet.get("extended_tweet")
    if isinstance(extended, dict) and extended.get("full_text"):
        return str(extended["full_text"])
    return str(tweet.get("full_text") or tweet.get("text") or "")


def tweet_events(for_user_id: str, tweet: dict) -> list[Event]:
    if not isinstance(tweet, dict):
        raise ParseError("a tweet_create_events item is not an object")
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    user = tweet.get("user")
    if not tweet_id or not isinstance(user, dict):
        raise ParseError("tweet without id or user")
    author = _author(user)
    if isinstance(tweet.get("retweeted_status"), dict):
        return [Ignored(PLATFORM, for_user_id, reason=f"repost {tweet_id} by {author.handle}")]
    history = tweet.get("edit_history") if isinstance(tweet.get("edit_history"), dict) else {}
    first_id = str(history.get("initial_tweet_id") or tweet_id)
    own = author.platform_user_id == for_user_id
    reply_to = str(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id") or "")
    if tweet.get("is_quote_status") or tweet.get("quoted_status_id_str"):
        kind = "quote"
    elif reply_to:
        kind = "reply"
    else:
        kind = "mention"
    text = _tweet_text(tweet)
    at = _v11_time(tweet)
    post = IncomingPost(
        platform=PLATFORM,
        platform_id=first_id,  # an edit makes a new tweet id; we keep the first one, with the new text
        text=text,
        created_at=at,
        direction="out" if own else "in",
        kind="reply" if own else kind,
        author=author,
        in_reply_to_id=reply_to,
        language=str(tweet.get("lang") or ""),
        url=tweet_url(author.handle, tweet_id),
        likes=_count(tweet.get("favorite_count")) or 0,
        reposts=_count(tweet.get("retweet_count")) or 0,
        replies=_count(tweet.get("reply_count")) or 0,
        raw=tweet,
    )
    if first_id != tweet_id:
        return [Edited(PLATFORM, for_user_id, platform_id=first_id, text=text, at=at, fallback=post)]
    return [NewPost(PLATFORM, for_user_id, post=post, own=own)]


def dm_events(for_user_id: str, event: dict, users: dict) -> list[Event]:
    if not isinstance(event, dict):
        raise ParseError("a direct_message_events item is not an object")
    if event.get("type") != "message_create":
        return [Ignored(PLATFORM, for_user_id, reason=f"direct message event {event.get('type')!r}")]
    create = event.get("message_create") or {}
    sender = str(create.get("sender_id") or "")
    recipient = str((create.get("target") or {}).get("recipient_id") or "")
    message_id = str(event.get("id") or "")
    if not sender or not message_id:
        raise ParseError("direct message without id or sender_id")
    own = sender == for_user_id
    customer_id = recipient if own else sender
    user = users.get(customer_id) if isinstance(users, dict) else None
    author = _author(user) if isinstance(user, dict) else AuthorData(platform_user_id=customer_id)
    author.platform_user_id = customer_id
    post = IncomingPost(
        platform=PLATFORM,
        platform_id=message_id,
        text=str((create.get("message_data") or {}).get("text") or ""),
        created_at=_ms(event.get("created_timestamp")),
        direction="out" if own else "in",
        kind="dm",
        # For an echo the "author" is the customer it went to: it names the conversation.
        author=author,
        raw=event,
    )
    return [NewPost(PLATFORM, for_user_id, post=post, own=own)]


def parse(body: bytes) -> list[Event]:
    """Every event in one Account Activity delivery."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ParseError("delivery is not a JSON object")
    for_user_id = str(data.get("for_user_id") or "")
    if not for_user_id:
        raise ParseError("delivery without for_user_id")
    events: list[Event] = []
    for tweet in _items(data, "tweet_create_events"):
        events += tweet_events(for_user_id, tweet)
    users = data.get("users") or {}
    for event in _items(data, "direct_message_events"):
        events += dm_events(for_user_id, event, users)
    for favorite in _items(data, "favorite_events"):
        status = favorite.get("favorited_status") if isinstance(favorite, dict) else None
        if not isinstance(status, dict):
            raise ParseError("favorite event without favorited_status")
        user = favorite.get("user") or {}
        events.append(
            Liked(
                PLATFORM,
                for_user_id,
                platform_id=str(status.get("id_str") or status.get("id") or ""),
                user_id=str(user.get("id_str") or user.get("id") or ""),
            )
        )
    for deletion in _items(data, "tweet_delete_events"):
        status = deletion.get("status") if isinstance(deletion, dict) else None
        if not isinstance(status, dict) or not status.get("id"):
            raise ParseError("tweet_delete_events item without status.id")
        events.append(
            Deleted(PLATFORM, for_user_id, platform_id=str(status["id"]), at=_ms(deletion.get("timestamp_ms") or 0))
        )
    known = {"for_user_id", "users", "user_has_blocked", "tweet_create_events", "direct_message_events",
             "favorite_events", "tweet_delete_events", "apps"}
    for other in sorted(set(data) - known):
        events.append(Ignored(PLATFORM, for_user_id, reason=f"{other} not handled"))
    return events


def _items(data: dict, name: str) -> list:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ParseError(f"{name} is not a list")
    return value


def v2_tweets(payload: dict, brand_user_id: str = "") -> list[IncomingPost]:
    """API v2 tweets with expansions (lookup, search, filtered stream) -> posts (also the included ones)."""
    if not isinstance(payload, dict):
        raise ParseError("v2 payload is not an object")
    data = payload.get("data")
    tweets = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    includes = payload.get("includes") or {}
    users = {str(u.get("id")): u for u in includes.get("users", []) if isinstance(u, dict)}
    posts = []
    for tweet in [*tweets, *[t for t in includes.get("tweets", []) if isinstance(t, dict)]]:
        tweet_id = str(tweet.get("id") or "")
        author_id = str(tweet.get("author_id") or "")
        if not tweet_id or not author_id:
            raise ParseError("v2 tweet without id or author_id")
        user = users.get(author_id, {})
        refs = {r.get("type"): str(r.get("id")) for r in tweet.get("referenced_tweets", []) if isinstance(r, dict)}
        kind = "quote" if "quoted" in refs else "reply" if "replied_to" in refs else "mention"
        try:
            at = datetime.fromisoformat(str(tweet.get("created_at")).replace("Z", "+00:00"))
        except ValueError:
            raise ParseError(f"v2 tweet {tweet_id} without a readable created_at") from None
        metrics = tweet.get("public_metrics") or {}
        own = bool(brand_user_id) and author_id == brand_user_id
        posts.append(
            IncomingPost(
                platform=PLATFORM,
                platform_id=tweet_id,
                text=str(tweet.get("text") or ""),
                created_at=at,
                direction="out" if own else "in",
                kind=kind,
                author=AuthorData(
                    platform_user_id=author_id,
                    handle=str(user.get("username") or ""),
                    display_name=str(user.get("name") or ""),
                    followers=_count((user.get("public_metrics") or {}).get("followers_count")),
                    verified=user.get("verified") if isinstance(user.get("verified"), bool) else None,
                ),
                in_reply_to_id=refs.get("replied_to", ""),
                platform_conversation_id=str(tweet.get("conversation_id") or ""),
                language=str(tweet.get("lang") or ""),
                url=tweet_url(str(user.get("username") or ""), tweet_id),
                likes=_count(metrics.get("like_count")) or 0,
                reposts=_count(metrics.get("retweet_count")) or 0,
                replies=_count(metrics.get("reply_count")) or 0,
                raw=tweet,
            )
        )
    return posts
