"""The conversation page shows the SLA timers of the brand's policy: time left, near breach, breached."""

from __future__ import annotations

import re
from datetime import timedelta

from parley.inbox import actions
from parley.sla.models import SlaPolicy
from tests.conftest import incoming

from .conftest import url


def _panel(html: str) -> str:
    found = re.search(r'<ul class="sla-timers".*?</ul>', html, re.S)
    return found.group(0) if found else ""


def _conversation(brand, channel, now, minutes_ago):
    return actions.ingest_post(
        brand, channel, incoming("s1", "Still no refund", author="dana", at=now - timedelta(minutes=minutes_ago))
    ).conversation


def test_no_policy_shows_no_timers(client, users, brand, channel, now):
    conv = _conversation(brand, channel, now, 10)
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, conv)).content.decode()
    assert "sla-timers" not in html


def test_running_and_breached_timers_are_worded(client, users, brand, channel, now):
    SlaPolicy.objects.create(brand=brand, name="default", first_response_minutes=60, next_response_minutes=120,
                             resolution_minutes=24 * 60, business_hours=False)
    conv = _conversation(brand, channel, now, 90)  # first response due 60 min after the post: breached
    client.force_login(users["admin"])
    html = _panel(client.get(url("conversation", brand, conv)).content.decode())
    assert html
    assert "First response" in html and "sla-breached" in html and re.search(r"Breached: breached (29|30) min ago", html), html
    assert "Resolution" in html and re.search(r"22 h (29|30) min left", html), html  # seconds pass during the test


def test_a_fresh_conversation_has_time_left(client, users, brand, channel, now):
    SlaPolicy.objects.create(brand=brand, name="default", first_response_minutes=60, business_hours=False)
    conv = _conversation(brand, channel, now, 5)
    client.force_login(users["care_agent"] if conv.team_id else users["admin"])
    html = _panel(client.get(url("conversation", brand, conv)).content.decode())
    assert "sla-ok" in html and re.search(r"5[45] min left", html) and "sla-breached" not in html, html
