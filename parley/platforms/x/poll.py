"""Poll an X account's mentions with API v2 (for accounts without Account Activity webhooks)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import http
from ..base import NewPost, SendError, TokenInvalid
from ..models import ChannelAccount, PollState
from .client import XClient, check
from .parse import v2_tweets

log = logging.getLogger(__name__)

FIELDS = {
    "expansions": "author_id,referenced_tweets.id",
    "tweet.fields": "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,lang,author_id",
    "user.fields": "username,name,public_metrics,verified",
    "max_results": "100",
}


def poll_mentions(channel: ChannelAccount, now: datetime | None = None, max_pages: int | None = None) -> dict:
    """Read mentions newer than the cursor (since_id), every page, oldest stored first."""
    from ..processing import apply

    now = now or timezone.now()
    max_pages = max_pages or settings.PARLEY_YOUTUBE_MAX_PAGES
    state, _ = PollState.objects.get_or_create(channel=channel)
    client = XClient(channel)
    counts: Counter = Counter()
    posts = []
    newest = state.cursor_id
    token = ""
    try:
        for _ in range(max_pages):
            query = dict(FIELDS)
            if state.cursor_id:
                query["since_id"] = state.cursor_id
            if token:
                query["pagination_token"] = token
            page = check(http.call("GET", f"{client.base}/2/users/{channel.external_id}/mentions", token=client.token,
                                   query=query))
            counts["pages"] += 1
            meta = page.get("meta") or {}
            if meta.get("newest_id") and (not newest or int(meta["newest_id"]) > int(newest or 0)):
                newest = str(meta["newest_id"])
            wanted = {str(t.get("id")) for t in page.get("data") or []}
            # Included tweets (the ones replied to or quoted) are context; only the mentions are stored.
            posts += [p for p in v2_tweets(page, channel.external_id) if p.platform_id in wanted]
            token = meta.get("next_token") or ""
            if not token:
                break
        state.last_error = ""
    except SendError as error:
        state.last_error = error.reason[:2000]
        counts["error"] += 1
        log.warning("polling %s failed: %s", channel, error.reason)
        if isinstance(error, TokenInvalid):
            from ..actions import mark_needs_reauth

            mark_needs_reauth(channel, error.reason)
    for post in sorted(posts, key=lambda p: p.created_at):
        with transaction.atomic():
            counts[apply(channel, NewPost("x", channel.external_id, post=post, own=post.direction == "out"))] += 1
    if not counts["error"]:
        state.cursor_id = newest or state.cursor_id
    state.last_polled_at = now
    state.save(update_fields=["cursor_id", "last_polled_at", "last_error"])
    return dict(counts)
