"""Channels' periodic job: poll YouTube comments, email mailboxes (IMAP) and, when enabled, X mentions
(parley.server.periodic)."""

from __future__ import annotations

import logging

from django.conf import settings

from parley.server.periodic import register

log = logging.getLogger(__name__)


def pollable_channels():
    """Active, connected channels read by polling (an email channel only when it has an IMAP server)."""
    from .models import ChannelAccount

    platforms = ["youtube", "email", "x"] if settings.PARLEY_X_POLL_MENTIONS else ["youtube", "email"]
    for channel in ChannelAccount.objects.filter(platform__in=platforms, status=ChannelAccount.Status.ACTIVE):
        if not channel.has_credentials:
            continue
        if channel.platform == "email" and not channel.get_credentials().get("imap_host"):
            continue  # mail arrives through the webhook
        yield channel


def poll_one(channel) -> dict:
    """One poll of one channel; the counts of what it read."""
    from .email.imap import poll_mailbox
    from .x.poll import poll_mentions
    from .youtube.poll import poll_channel

    return {"youtube": poll_channel, "email": poll_mailbox, "x": poll_mentions}[channel.platform](channel)


def poll_channels(now):
    """One polling round over every polling channel; one channel's failure never stops the rest."""
    polled = failed = 0
    for channel in pollable_channels():
        try:
            poll_one(channel)
            polled += 1
        except Exception:  # noqa: BLE001 - logged; the next round tries again
            failed += 1
            log.exception("polling %s failed", channel)
    return f"{polled} channels polled, {failed} failed"


register("platforms.poll", settings.PARLEY_YOUTUBE_POLL_SECONDS, poll_channels)
