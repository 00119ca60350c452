"""Who may see and change routing rules. Every lookup of a rule by id goes through here."""

from __future__ import annotations

from django.http import Http404

from parley.inbox.access import access_brand, can_manage

from .models import RoutingRule


def access_rules_brand(user, slug: str):
    """The brand and role of a user who manages it (admins, supervisors); 404 for everyone else."""
    brand, role = access_brand(user, slug)
    if not can_manage(user, brand):
        raise Http404("No such page")
    return brand, role


def access_rule(user, brand, rule_id) -> RoutingRule:
    if not can_manage(user, brand):
        raise Http404("No such rule")
    try:
        rule_id = int(rule_id)
    except (TypeError, ValueError):
        raise Http404("No such rule") from None
    rule = RoutingRule.objects.filter(brand=brand, pk=rule_id).first()
    if rule is None:
        raise Http404("No such rule")
    return rule
