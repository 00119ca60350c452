"""SLA timers in the inbox list: the most urgent timer per row, the SLA filters and sort, no N+1."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parley.inbox import actions
from parley.sla import listing
from parley.sla.calendar import Calendar
from parley.sla.models import SlaPolicy
from parley.sla.policy import ConversationClock, Policy
from parley.sla.status import TimerView
from tests.conftest import incoming
from tests.web.conftest import url


def _conv(brand, channel, pid, minutes_ago, now, author=None):
    return actions.ingest_post(
        brand, channel, incoming(pid, f"post {pid}", author=author or f"a{pid}", at=now - timedelta(minutes=minutes_ago))
    ).conversation


def _rows(html: str) -> list[str]:
    return re.findall(r'<li class="conv[^"]*" data-id="(\d+)"', html)


def _chip(html: str, pk: int) -> str:
    row = re.search(rf'data-id="{pk}".*?</li>', html, re.S).group(0)
    found = re.search(r'<span class="sla-chip[^"]*"[^>]*>(.*?)</span></dd>', row, re.S)
    return re.sub(r"<[^>]+>", "", found.group(0)) if found else ""


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def policy(brand):
    return SlaPolicy.objects.create(brand=brand, name="Standard", first_response_minutes=60,
                                    resolution_minutes=24 * 60, business_hours=False)


def test_most_urgent_prefers_breached_then_least_time_left():
    ok = TimerView("resolution", "Resolution", None, timedelta(hours=5), "ok", "p")
    near = TimerView("first_response", "First response", None, timedelta(minutes=5), "near", "p")
    late = TimerView("first_response", "First response", None, timedelta(minutes=-30), "breached", "p")
    undated = TimerView("resolution", "Resolution", None, None, "ok", "p")
    assert listing.most_urgent([ok, near]) is near
    assert listing.most_urgent([ok, late, near]) is late
    assert listing.most_urgent([undated, ok]) is ok
    assert listing.most_urgent([undated]) is undated
    assert listing.most_urgent([]) is None


def test_filter_rules_are_pure(now):
    soon = TimerView("first_response", "First response", now + timedelta(minutes=40), timedelta(minutes=40), "near", "p")
    later = TimerView("first_response", "First response", now + timedelta(hours=3), timedelta(hours=3), "ok", "p")
    late = TimerView("first_response", "First response", now - timedelta(minutes=1), timedelta(minutes=-1),
                     "breached", "p")
    # business hours: 30 minutes of business time left, but the office opens again in 2 days
    weekend = TimerView("first_response", "First response", now + timedelta(days=2), timedelta(minutes=30), "near", "p")
    assert listing.matches(late, "breached", now) and not listing.matches(soon, "breached", now)
    assert listing.matches(soon, "due_1h", now) and not listing.matches(later, "due_1h", now)
    assert not listing.matches(late, "due_1h", now) and not listing.matches(None, "due_1h", now)
    assert not listing.matches(weekend, "due_1h", now)
    assert listing.matches(None, "", now)


def test_business_hours_timer_counts_only_open_time(now):
    # Open 09:00-17:00 on weekdays; a post at Friday 16:30 with a 60-minute target is due Monday 09:30.
    cal = Calendar.from_config({"timezone": "UTC", "hours": {d: [["09:00", "17:00"]] for d in
                                                             ("mon", "tue", "wed", "thu", "fri")}})
    sla = listing.BrandSla((Policy(1, "biz", first_response=timedelta(minutes=60), business_hours=True),), {None: cal})
    friday = now.replace(year=2026, month=11, day=6, hour=16, minute=30, second=0, microsecond=0)
    clock = ConversationClock(friday)
    saturday = friday + timedelta(days=1)
    timer = sla.urgent(clock, 0, "x", False, None, saturday)
    assert timer.due_at == friday.replace(day=9, hour=9, minute=30)
    assert timer.time_left == timedelta(minutes=30) and timer.state == "ok"  # 30 of 60 business minutes used (warn at 75 %)


def test_rows_show_their_most_urgent_timer_in_words(client, users, brand, channel, policy, now):
    late = _conv(brand, channel, "1", 90, now)
    fresh = _conv(brand, channel, "2", 10, now)
    client.force_login(users["admin"])
    html = client.get(url("list", brand)).content.decode()
    assert re.search(r"SLA breached: first response, (29|30) min over", _chip(html, late.pk)), _chip(html, late.pk)
    assert re.search(r"SLA: first response, (49|50) min left", _chip(html, fresh.pk)), _chip(html, fresh.pk)
    assert 'class="sla-chip sla-breached"' in html and 'class="sla-chip sla-ok"' in html


def test_no_policy_no_chip(client, users, brand, channel, now):
    _conv(brand, channel, "1", 90, now)
    client.force_login(users["admin"])
    assert "sla-chip" not in client.get(url("list", brand)).content.decode()


def test_filters_breached_and_due_within_an_hour(client, users, brand, channel, policy, now):
    late = _conv(brand, channel, "1", 90, now)  # breached
    soon = _conv(brand, channel, "2", 20, now)  # 40 min left
    calm = _conv(brand, channel, "3", 1, now)  # 59 min left: also due within the hour
    answered = _conv(brand, channel, "4", 5, now)
    actions.create_reply(answered, "On it", users["admin"], now=now)  # only resolution runs: 23 h left
    client.force_login(users["admin"])
    breached = _rows(client.get(url("list", brand, sla="breached")).content.decode())
    assert breached == [str(late.pk)]
    due = _rows(client.get(url("list", brand, sla="due_1h")).content.decode())
    assert set(due) == {str(soon.pk), str(calm.pk)}


def test_sort_by_time_left(client, users, brand, channel, policy, now):
    a = _conv(brand, channel, "1", 30, now)  # 30 min left
    b = _conv(brand, channel, "2", 120, now)  # 60 min over
    c = _conv(brand, channel, "3", 5, now)  # 55 min left
    SlaPolicy.objects.create(brand=brand, name="VIP-free", position=5, first_response_minutes=10, min_priority=90,
                             business_hours=False)  # applies to none of them (priority)
    client.force_login(users["admin"])
    order = _rows(client.get(url("list", brand, sort="sla")).content.decode())
    assert order == [str(b.pk), str(a.pk), str(c.pk)]


def test_filters_respect_the_agents_scope(client, users, brand, channel, teams, policy, now):
    care = _conv(brand, channel, "1", 90, now)
    billing = _conv(brand, channel, "2", 90, now)
    actions.set_team(care, teams["care"], users["admin"])
    actions.set_team(billing, teams["billing"], users["admin"])
    client.force_login(users["care_agent"])
    assert _rows(client.get(url("list", brand, sla="breached")).content.decode()) == [str(care.pk)]


@pytest.mark.parametrize("params", [{}, {"sla": "breached"}, {"sort": "sla"}])
def test_queries_per_page_do_not_grow_with_rows(client, users, brand, channel, policy, now, params):
    for i in range(3):
        _conv(brand, channel, f"s{i}", 90 - i, now)
    client.force_login(users["admin"])
    client.get(url("list", brand, **params))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(url("list", brand, **params))
    for i in range(20):
        _conv(brand, channel, f"m{i}", 80 - i, now)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("list", brand, **params))
    assert len(_rows(response.content.decode())) >= 20
    assert len(large.captured_queries) == len(small.captured_queries), [q["sql"] for q in large.captured_queries]


def test_the_whole_list_is_filtered_with_no_scan_cap(client, users, brand, channel, policy, now):
    for i in range(3):
        _conv(brand, channel, f"s{i}", 90 - i, now)
    client.force_login(users["admin"])
    html = client.get(url("list", brand, sla="breached")).content.decode()
    assert len(_rows(html)) == 3 and "longest-waiting conversations of this list only" not in html


@pytest.mark.parametrize("business", [True, False])
def test_judging_many_rows_agrees_with_the_timers_of_one(business):
    """listing.judge_rows (one calendar window for all rows) gives what status.timer_views gives per row."""
    import random
    from datetime import datetime, timezone as dt_timezone

    cal = Calendar.from_config({"timezone": "Europe/Berlin", "holidays": ["2026-10-26"],
                                "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}})
    policy = Policy(1, "p", first_response=timedelta(hours=2), next_response=timedelta(minutes=45),
                    resolution=timedelta(hours=30), business_hours=business)
    brand_sla = listing.BrandSla((policy,), {None: cal})
    now = datetime(2026, 10, 26, 8, 30, tzinfo=dt_timezone.utc)  # a holiday Monday after the DST change
    rng = random.Random(5)
    rows = []
    for i in range(300):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 20))
        first = created + timedelta(minutes=rng.randint(1, 600)) if rng.random() < 0.5 else None
        first = first if first is None or first < now else None
        waiting = (first + timedelta(minutes=rng.randint(1, 300))) if first and rng.random() < 0.6 else None
        waiting = waiting if waiting is None or waiting < now else None
        rows.append((i, None, 0, "x", False, created, first, waiting, None, "new"))
    for row, judged in zip(rows, listing.judge_rows(brand_sla, rows, now)):
        clock = ConversationClock(row[5], row[6], row[7], None, True)
        expected = listing.most_urgent(
            [t for t in __import__("parley.sla.status", fromlist=["timer_views"]).timer_views(clock, policy, cal, now)])
        assert judged.time_left == expected.time_left, row
        assert judged.state == expected.state, row
        assert judged.due_soon == (expected.due_at is not None and expected.due_at <= now + listing.SOON), row
