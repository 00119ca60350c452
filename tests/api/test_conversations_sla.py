"""The REST API's SLA filters and sort on the conversation list, the same as the inbox page's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.inbox import actions
from parley.sla.models import SlaPolicy
from tests.api.conftest import BASE
from tests.conftest import incoming


@pytest.fixture
def policy(brand):
    return SlaPolicy.objects.create(brand=brand, name="Standard", first_response_minutes=60,
                                    resolution_minutes=24 * 60, business_hours=False)


def _conv(brand, channel, pid, minutes_ago, now):
    return actions.ingest_post(brand, channel, incoming(pid, f"post {pid}", author=f"a{pid}",
                                                        at=now - timedelta(minutes=minutes_ago))).conversation


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def spread(brand, channel, users, policy):
    now = timezone.now()
    late = _conv(brand, channel, "1", 90, now)  # 30 min over
    soon = _conv(brand, channel, "2", 20, now)  # 40 min left
    calm = _conv(brand, channel, "3", 1, now)  # 59 min left
    answered = _conv(brand, channel, "4", 5, now)
    actions.create_reply(answered, "On it", users["admin"], now=now)  # only resolution runs: about 23 h left
    return {"late": late, "soon": soon, "calm": calm, "answered": answered}


def test_breached_and_due_within_the_hour(api, spread):
    body = api["admin"].get(f"{BASE}/conversations/?sla=breached").json()
    assert [r["id"] for r in body["results"]] == [spread["late"].pk] and body["count"] == 1
    assert body["sla_capped"] is False
    assert set(ids(api["admin"].get(f"{BASE}/conversations/?sla=due_1h"))) == {spread["soon"].pk, spread["calm"].pk}


def test_sort_by_least_time_left_pages_in_that_order(api, spread):
    expected = [spread[k].pk for k in ("late", "soon", "calm", "answered")]
    assert ids(api["admin"].get(f"{BASE}/conversations/?sort=sla")) == expected
    first = api["admin"].get(f"{BASE}/conversations/?sort=sla&limit=2").json()
    assert [r["id"] for r in first["results"]] == expected[:2] and first["count"] == 4 and first["next"]
    assert ids(api["admin"].get(first["next"])) == expected[2:]


def test_combined_with_other_filters_and_the_agents_scope(api, spread, teams):
    actions.set_team(spread["late"], teams["billing"], "test")
    assert ids(api["care_agent"].get(f"{BASE}/conversations/?sla=breached")) == []
    assert ids(api["billing_agent"].get(f"{BASE}/conversations/?sla=breached")) == [spread["late"].pk]
    assert ids(api["admin"].get(f"{BASE}/conversations/?sla=breached&team=none")) == []


def test_without_sla_parameters_nothing_changes_and_unknown_values_are_ignored(api, spread):
    plain = api["admin"].get(f"{BASE}/conversations/").json()
    assert "sla_capped" not in plain and plain["count"] == 4
    assert len(ids(api["admin"].get(f"{BASE}/conversations/?sla=soonish"))) == 4


def test_the_whole_list_is_sorted_and_never_capped(api, spread):
    body = api["admin"].get(f"{BASE}/conversations/?sort=sla").json()
    assert body["sla_capped"] is False and len(body["results"]) == 4
