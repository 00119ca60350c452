"""`parley setup_workflow`: starter teams, hours, SLA policies and rules; idempotent; rules work."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parley.accounts.models import Team
from parley.inbox import actions as inbox
from parley.routing import actions
from parley.routing.models import RoutingRule
from parley.sla.jobs import run
from parley.sla.models import BusinessCalendar, SlaPolicy
from tests.conftest import T0, incoming


def test_setup_creates_what_is_missing_once(brand, channel):
    out = StringIO()
    call_command("setup_workflow", "acme", "--timezone", "Europe/London", stdout=out)
    assert "team care" in out.getvalue() and "7 routing rules" in out.getvalue()
    assert set(Team.objects.filter(brand=brand).values_list("slug", flat=True)) == {
        "care", "billing", "logistics", "product", "pr"}
    assert BusinessCalendar.objects.get(brand=brand).config["timezone"] == "Europe/London"
    assert SlaPolicy.objects.filter(brand=brand).count() == 3
    out = StringIO()
    call_command("setup_workflow", "acme", stdout=out)
    assert "nothing" in out.getvalue() and RoutingRule.objects.count() == 7

    post = inbox.ingest_post(brand, channel, incoming("1", "Where is my parcel? Tracking says delivered")).post
    assert actions.route_post(post, T0).applied[0] == "team logistics"
    spam = inbox.ingest_post(brand, channel, incoming("2", "FREE crypto giveaway!!", author="s")).post
    assert actions.route_post(spam, T0).decision["spam"] is True
    result = run(T0 + timedelta(hours=30))
    assert result.checked == 2


def test_setup_errors(brand):
    with pytest.raises(CommandError, match="no brand"):
        call_command("setup_workflow", "nope")
    with pytest.raises(CommandError, match="time zone"):
        call_command("setup_workflow", "acme", "--timezone", "Moon/Base")
