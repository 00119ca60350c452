"""Poll a YouTube channel's comment threads: newest first, page by page, until the cursor or the quota."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..base import RateLimited, SendError, TokenInvalid
from ..models import ChannelAccount, PollState, QuotaUsage
from .client import LIST_COST, YouTubeClient, next_reset, quota_day
from .parse import parse_threads

log = logging.getLogger(__name__)


def spend(channel: ChannelAccount, units: int, limit: int | None = None, now: datetime | None = None) -> int:
    """Count `units` against today's quota, or raise RateLimited (until the reset) when they do not fit."""
    now = now or timezone.now()
    limit = settings.PARLEY_YOUTUBE_DAILY_QUOTA if limit is None else limit
    day = quota_day(now)
    try:
        with transaction.atomic():
            QuotaUsage.objects.get_or_create(api="youtube", day=day)
    except IntegrityError:
        pass
    with transaction.atomic():
        # One conditional UPDATE: concurrent spenders never overshoot the limit.
        done = QuotaUsage.objects.filter(api="youtube", day=day, used__lte=limit - units).update(used=F("used") + units)
    if not done:
        raise RateLimited(f"YouTube quota for today is spent ({limit} units); it resets at midnight Pacific time",
                          next_reset(now))
    return QuotaUsage.objects.get(api="youtube", day=day).used


def poll_channel(channel: ChannelAccount, now: datetime | None = None) -> dict:
    """Read new comment threads of `channel` and apply them; the counts of what happened."""
    from ..processing import apply

    now = now or timezone.now()
    state, _ = PollState.objects.get_or_create(channel=channel)
    client = YouTubeClient(channel)
    counts: Counter = Counter()
    newest = state.cursor
    token = ""
    try:
        for _ in range(settings.PARLEY_YOUTUBE_MAX_PAGES):
            spend(channel, LIST_COST, limit=min(settings.PARLEY_YOUTUBE_POLL_QUOTA, settings.PARLEY_YOUTUBE_DAILY_QUOTA),
                  now=now)
            page = client.list_threads(token)
            events, page_newest = parse_threads(channel.external_id, page)
            counts["pages"] += 1
            for event in events:
                with transaction.atomic():
                    counts[apply(channel, event)] += 1
            if page_newest and (newest is None or page_newest > newest):
                newest = page_newest
            oldest_on_page = _oldest(page)
            token = page.get("nextPageToken") or ""
            if not token or (state.cursor and oldest_on_page and oldest_on_page <= state.cursor):
                break
        state.last_error = ""
    except SendError as error:  # recorded on the state; the next poll tries again
        state.last_error = error.reason[:2000]
        counts["error"] += 1
        log.warning("polling %s failed: %s", channel, error.reason)
        if isinstance(error, TokenInvalid):
            from ..actions import mark_needs_reauth

            mark_needs_reauth(channel, error.reason)
    state.cursor = newest
    state.last_polled_at = now
    state.save(update_fields=["cursor", "last_polled_at", "last_error"])
    return dict(counts)


def _oldest(page: dict):
    from .parse import _time

    times = []
    for thread in page.get("items", []):
        snippet = ((thread.get("snippet") or {}).get("topLevelComment") or {}).get("snippet") or {}
        if snippet.get("updatedAt") or snippet.get("publishedAt"):
            times.append(_time(snippet.get("updatedAt") or snippet.get("publishedAt")))
    return min(times) if times else None
