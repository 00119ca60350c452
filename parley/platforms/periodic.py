"""Channels' periodic job: poll YouTube comments (and X mentions when enabled) (parley.server.periodic)."""

from __future__ import annotations

import logging

from django.conf import settings

from parley.server.periodic import register

log = logging.getLogger(__name__)


def poll_channels(now):
    """One polling round over every active, connected polling channel; one channel's failure never stops the rest."""
    from .models import ChannelAccount
    from .x.poll import poll_mentions
    from .youtube.poll import poll_channel

    platforms = ["youtube", "x"] if settings.PARLEY_X_POLL_MENTIONS else ["youtube"]
    polled = failed = 0
    for channel in ChannelAccount.objects.filter(platform__in=platforms, status=ChannelAccount.Status.ACTIVE):
        if not channel.has_credentials:
            continue
        try:
            poll_channel(channel) if channel.platform == "youtube" else poll_mentions(channel)
            polled += 1
        except Exception:  # noqa: BLE001 - logged; the next round tries again
            failed += 1
            log.exception("polling %s failed", channel)
    return f"{polled} channels polled, {failed} failed"


register("platforms.poll", settings.PARLEY_YOUTUBE_POLL_SECONDS, poll_channels)
