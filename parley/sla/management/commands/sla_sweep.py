"""`parley sla_sweep`: check open conversations against their SLA policies and raise alerts."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parley.accounts.models import Brand
from parley.sla.sweep import sweep


class Command(BaseCommand):
    help = "Find conversations near or past their SLA targets; store alerts and email a summary."

    def add_arguments(self, parser):
        parser.add_argument("--brand", help="only this brand (slug)")
        parser.add_argument("--now", help="judge as of this ISO 8601 time (default: now)")
        parser.add_argument("--no-email", action="store_true", help="store in-app alerts only")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now {options['now']!r} is not an ISO 8601 time") from None
            if now.tzinfo is None:
                raise CommandError("--now needs a time zone offset, e.g. 2026-11-23T10:00:00+00:00")
        brand = None
        if options["brand"]:
            brand = Brand.objects.filter(slug=options["brand"]).first()
            if brand is None:
                raise CommandError(f"no brand {options['brand']!r}")
        result = sweep(now, brand=brand, email=False if options["no_email"] else None)
        self.stdout.write(result.summary())
