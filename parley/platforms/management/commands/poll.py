"""`parley poll`: read new YouTube comments and new mail (IMAP) of every connected channel, once or every N seconds."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from parley.platforms.periodic import poll_one, pollable_channels


class Command(BaseCommand):
    help = ("Poll YouTube comment threads of connected channels (within the daily quota budget), email channels' "
            "IMAP mailboxes, and X mentions when PARLEY_X_POLL_MENTIONS is on.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep polling every PARLEY_YOUTUBE_POLL_SECONDS")
        parser.add_argument("--channel", type=int, default=0, help="only this channel (id)")

    def handle(self, *args, **opts):
        while True:
            for channel in pollable_channels():
                if opts["channel"] and channel.pk != opts["channel"]:
                    continue
                counts = poll_one(channel)
                self.stdout.write(f"{channel}: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
            if not opts["loop"]:
                return
            time.sleep(settings.PARLEY_YOUTUBE_POLL_SECONDS)
