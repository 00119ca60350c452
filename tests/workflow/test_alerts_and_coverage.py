"""In-app SLA alerts (the header badge, the list, marking seen) and the coverage page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.routing.models import AgentAvailability
from parley.sla import coverage
from parley.sla.alerts import unseen_count, visible_alerts
from parley.sla.models import SlaAlert, SlaPolicy
from parley.sla.sweep import sweep
from tests.conftest import incoming


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def policy(brand):
    return SlaPolicy.objects.create(brand=brand, name="Standard", first_response_minutes=60, business_hours=False)


def _conv(brand, channel, pid, at, team=None, assignee=None, actor=None):
    conv = inbox.ingest_post(brand, channel, incoming(pid, f"help {pid}", author=f"a{pid}", at=at)).conversation
    if team is not None:
        inbox.set_team(conv, team, actor)
    if assignee is not None:
        inbox.assign(conv, assignee, actor)
    return conv


def _badge(html: str) -> str:
    found = re.search(r'<span id="alert-badge"[^>]*>(.*?)</span>(?:</span>)?', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_agents_see_alerts_for_their_conversations_and_managers_the_unassigned(
        client, brand, channel, teams, users, policy, now):
    admin, cara, bill = users["admin"], users["care_agent"], users["billing_agent"]
    mine = _conv(brand, channel, "1", now - timedelta(minutes=90), teams["care"], cara, admin)
    theirs = _conv(brand, channel, "2", now - timedelta(minutes=90), teams["billing"], bill, admin)
    nobody = _conv(brand, channel, "3", now - timedelta(minutes=50))
    sweep(now, email=False)
    assert set(visible_alerts(cara, brand).values_list("conversation_id", flat=True)) == {mine.pk}
    assert set(visible_alerts(bill, brand).values_list("conversation_id", flat=True)) == {theirs.pk}
    assert set(visible_alerts(admin, brand).values_list("conversation_id", flat=True)) == {nobody.pk}
    assert set(visible_alerts(admin, brand, everyone=True).values_list("conversation_id", flat=True)) == {
        mine.pk, theirs.pk, nobody.pk}
    # an agent's "all" stays inside their teams
    assert set(visible_alerts(cara, brand, everyone=True).values_list("conversation_id", flat=True)) == {mine.pk,
                                                                                                        nobody.pk}
    client.force_login(cara)
    page = client.get(reverse("inbox:list", kwargs={"brand": brand.slug})).content.decode()
    assert _badge(page) == "1 unseen"
    listing = client.get(reverse("workflow:alerts", kwargs={"brand": brand.slug})).content.decode()
    assert mine.ref in listing and theirs.ref not in listing and "Breached: first response" in listing


def test_a_reply_ends_the_alert_and_breach_hides_near(brand, channel, users, policy, now):
    admin = users["admin"]
    conv = _conv(brand, channel, "1", now - timedelta(minutes=50))
    sweep(now, email=False)
    assert list(visible_alerts(admin, brand).values_list("level", flat=True)) == ["near"]
    sweep(now + timedelta(minutes=15), email=False)
    assert list(visible_alerts(admin, brand).values_list("level", flat=True)) == ["breached"]
    assert SlaAlert.objects.count() == 2
    inbox.create_reply(conv, "We're on it", admin, now=now + timedelta(minutes=16))
    assert not visible_alerts(admin, brand).exists()


def test_marking_seen_clears_the_badge_and_is_audited(client, brand, channel, users, policy, now):
    admin = users["admin"]
    a = _conv(brand, channel, "1", now - timedelta(minutes=90))
    _conv(brand, channel, "2", now - timedelta(minutes=90))
    sweep(now, email=False)
    assert unseen_count(admin, brand) == 2
    client.force_login(admin)
    alert = SlaAlert.objects.get(conversation=a)
    client.post(reverse("workflow:alerts_seen", kwargs={"brand": brand.slug}), {"alert": [str(alert.pk)]})
    assert unseen_count(admin, brand) == 1
    badge = client.get(reverse("workflow:alert_count", kwargs={"brand": brand.slug})).content.decode()
    assert "1<span" in badge and 'hx-trigger="every 60s"' in badge
    client.post(reverse("workflow:alerts_seen", kwargs={"brand": brand.slug}), {"every": "1"})
    assert unseen_count(admin, brand) == 0
    assert AuditEvent.objects.filter(verb="sla.alerts_seen").count() == 2


def test_viewers_cannot_mark_and_other_brands_see_nothing(client, brand, other_brand, channel, users, policy, now):
    _conv(brand, channel, "1", now - timedelta(minutes=90))
    sweep(now, email=False)
    client.force_login(users["viewer"])
    assert client.post(reverse("workflow:alerts_seen", kwargs={"brand": brand.slug}), {"every": "1"}).status_code == 404
    assert SlaAlert.objects.filter(seen=False).count() == 1
    assert client.get(reverse("workflow:alerts", kwargs={"brand": other_brand.slug})).status_code == 404


# --- coverage -------------------------------------------------------------------------------


def test_week_grid_is_pure():
    grid = coverage.week_grid([(0, 0), (0, 1), (6, 23)])
    assert grid[0][0] == "Monday" and grid[0][1][:3] == [False, False, True]
    assert grid[6][1][23] is False and sum(sum(cells) for _, cells in grid) == 168 - 3


def test_coverage_page_for_admins_with_a_warning(client, brand, channel, users):
    AgentAvailability.objects.create(user=users["care_agent"], brand=brand, shift={
        "timezone": "UTC", "hours": {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    url = reverse("workflow:coverage", kwargs={"brand": brand.slug}) + "?week_of=2026-11-02"
    client.force_login(users["care_agent"])
    assert client.get(url).status_code == 404
    client.force_login(users["admin"])
    html = client.get(url).content.decode()
    assert "60 of 168 hours covered" in html
    assert 'class="errors coverage-warning" role="alert"' in html and "Nobody covers these hours" in html
    assert html.count('class="cov-no"') == 108 and "Saturday 00:00-24:00" in html
    AgentAvailability.objects.create(user=users["billing_agent"], brand=brand)  # always on
    html = client.get(url).content.decode()
    assert "coverage-warning" not in html and "covered around the clock" in html
