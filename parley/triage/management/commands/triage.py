"""`parley triage "text"`: triage one text and print the result readably."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parley.triage.linear import ModelMissing
from parley.triage.pipeline import Options, Triager
from parley.triage.render import readable


class Command(BaseCommand):
    help = "Triage one text and print what Parley understands of it."

    def add_arguments(self, parser):
        parser.add_argument("text", help="The post's text (quote it).")
        parser.add_argument("--profile", choices=("fast", "accurate"), default=None)
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **opts):
        profile = opts["profile"] or settings.PARLEY_TRIAGE_PROFILE
        try:
            triager = Triager(Options(profile=profile, phone_region=settings.PARLEY_TRIAGE_PHONE_REGION))
        except ModelMissing as exc:
            raise CommandError(str(exc)) from exc
        result = triager.triage(opts["text"])
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(readable(result))
