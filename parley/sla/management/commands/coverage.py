"""`parley coverage BRAND`: the hours of the week when no agent's shift covers a channel."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from parley.accounts.models import Brand
from parley.routing.facts import coverage_for
from parley.sla import coverage


class Command(BaseCommand):
    help = "Show the hours of a week when nobody's shift covers each of a brand's channels (a warning for admins)."

    def add_arguments(self, parser):
        parser.add_argument("brand", help="brand slug")
        parser.add_argument("--timezone", default="", help="IANA zone to show hours in (default: the brand's calendar)")
        parser.add_argument("--week-of", default="", help="a date in the week to check (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        brand = Brand.objects.filter(slug=options["brand"]).first()
        if brand is None:
            raise CommandError(f"no brand {options['brand']!r}")
        try:
            tz = ZoneInfo(options["timezone"]) if options["timezone"] else None
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"unknown time zone {options['timezone']!r}") from None
        try:
            week_of = date.fromisoformat(options["week_of"]) if options["week_of"] else date.today()
        except ValueError:
            raise CommandError("--week-of is a date (YYYY-MM-DD)") from None
        tz, platforms, gaps = coverage_for(brand, week_of, tz)
        if not platforms:
            self.stdout.write("The brand has no channels.")
            return
        for platform in platforms:
            missing = gaps[platform]
            self.stdout.write(f"{platform}: {168 - len(missing)} of 168 hours covered ({tz.key})")
            for line in coverage.describe(missing):
                self.stdout.write(f"  uncovered {line}")
        warning = coverage.warning(gaps)
        if warning:
            self.stderr.write(warning)
