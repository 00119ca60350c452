"""`parley setup_workflow BRAND`: a starting point for a brand's care workflow (safe to re-run).

Creates what is missing: teams for the departments that answer on social (care, billing,
logistics, product, PR), a weekday business-hours calendar in the given time zone, three SLA
policies (VIP, urgent, default) and starter routing rules. Existing items are left alone.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parley.accounts.models import Brand, Team
from parley.routing.actions import save_rule
from parley.routing.models import RoutingRule
from parley.sla.calendar import Calendar, CalendarError
from parley.sla.models import BusinessCalendar, SlaPolicy

TEAMS = [("care", "Customer care"), ("billing", "Billing"), ("logistics", "Logistics"), ("product", "Product"),
         ("pr", "PR and communications")]
RULES = [
    {"name": "Spam and scams", "conditions": {"all": [{"field": "text", "op": "matches",
                                                        "value": r"(crypto|bitcoin|nft)\s+(giveaway|airdrop)|free\s+followers"}]},
     "actions": [{"type": "mark_spam"}, {"type": "hide"}], "stop": True},
    {"name": "High reach to PR", "conditions": {"any": [{"field": "followers", "op": "gte", "value": 100000},
                                                         {"field": "verified", "op": "is", "value": True}]},
     "actions": [{"type": "set_team", "team": "pr"}, {"type": "raise_priority", "to": 70},
                 {"type": "notify", "to": "team:pr", "message": "High-reach post"}]},
    {"name": "VIP customers", "conditions": {"all": [{"field": "vip", "op": "is", "value": True}]},
     "actions": [{"type": "raise_priority", "to": 80}, {"type": "escalate", "to": "role:supervisor",
                                                         "message": "VIP is waiting"}]},
    {"name": "Billing", "conditions": {"any": [
        {"field": "text", "op": "keywords", "value": ["refund", "charged", "charged twice", "invoice", "bill",
                                                        "payment", "subscription"]},
        {"field": "intent", "op": "in", "value": ["refund", "billing"]}]},
     "actions": [{"type": "set_team", "team": "billing"}]},
    {"name": "Deliveries", "conditions": {"all": [{"field": "text", "op": "keywords",
                                                   "value": ["delivery", "parcel", "package", "tracking", "courier",
                                                             "shipping", "arrived"]}]},
     "actions": [{"type": "set_team", "team": "logistics"}]},
    {"name": "App and website problems", "conditions": {"all": [{"field": "text", "op": "keywords", "value": [
        "app", "website", "login", "log in", "password", "crash", "error", "bug"]}]},
     "actions": [{"type": "set_team", "team": "product"}]},
    {"name": "Everything else to care", "conditions": {}, "actions": [{"type": "set_team", "team": "care"},
                                                                      {"type": "assign", "to": "auto"}]},
]


class Command(BaseCommand):
    help = "Create starter teams, business hours, SLA policies and routing rules for a brand (what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("brand", help="brand slug")
        parser.add_argument("--timezone", default="UTC", help="IANA time zone of the business hours (default UTC)")

    def handle(self, *args, **options):
        brand = Brand.objects.filter(slug=options["brand"]).first()
        if brand is None:
            raise CommandError(f"no brand {options['brand']!r}")
        config = {"timezone": options["timezone"],
                  "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}
        try:
            Calendar.from_config(config)
        except CalendarError as exc:
            raise CommandError(str(exc)) from None
        made = []
        with transaction.atomic():
            for slug, name in TEAMS:
                if Team.objects.get_or_create(brand=brand, slug=slug, defaults={"name": name})[1]:
                    made.append(f"team {slug}")
            if not BusinessCalendar.objects.filter(brand=brand, team__isnull=True).exists():
                BusinessCalendar.objects.create(brand=brand, name="Office hours", config=config)
                made.append("business hours")
            if not SlaPolicy.objects.filter(brand=brand).exists():
                SlaPolicy.objects.create(brand=brand, name="VIP", position=0, vip=True, business_hours=False,
                                         first_response_minutes=30, next_response_minutes=60, resolution_minutes=480)
                SlaPolicy.objects.create(brand=brand, name="Urgent", position=1, min_priority=70, business_hours=False,
                                         first_response_minutes=60, next_response_minutes=120,
                                         resolution_minutes=1440)
                SlaPolicy.objects.create(brand=brand, name="Standard", position=2, first_response_minutes=240,
                                         next_response_minutes=480, resolution_minutes=2880)
                made.append("3 SLA policies")
            if not RoutingRule.objects.filter(brand=brand).exists():
                for position, rule in enumerate(RULES):
                    save_rule(brand, {**rule, "position": (position + 1) * 10}, "setup")
                made.append(f"{len(RULES)} routing rules")
        self.stdout.write(f"{brand.name}: created {', '.join(made) if made else 'nothing (all there already)'}")
