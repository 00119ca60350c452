"""`parley poll`: read new YouTube comments of every connected channel, once or every N seconds."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from parley.platforms.models import ChannelAccount
from parley.platforms.x.poll import poll_mentions
from parley.platforms.youtube.poll import poll_channel


class Command(BaseCommand):
    help = ("Poll YouTube comment threads of connected channels (within the daily quota budget), and X mentions "
            "when PARLEY_X_POLL_MENTIONS is on.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep polling every PARLEY_YOUTUBE_POLL_SECONDS")
        parser.add_argument("--channel", type=int, default=0, help="only this channel (id)")

    def handle(self, *args, **opts):
        while True:
            platforms = ["youtube", "x"] if settings.PARLEY_X_POLL_MENTIONS else ["youtube"]
            channels = ChannelAccount.objects.filter(platform__in=platforms, status=ChannelAccount.Status.ACTIVE)
            if opts["channel"]:
                channels = channels.filter(pk=opts["channel"])
            for channel in channels:
                if not channel.has_credentials:
                    continue
                counts = poll_channel(channel) if channel.platform == "youtube" else poll_mentions(channel)
                self.stdout.write(f"{channel}: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
            if not opts["loop"]:
                return
            time.sleep(settings.PARLEY_YOUTUBE_POLL_SECONDS)
