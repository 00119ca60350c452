"""Within one background job a brand's rules and calendar are read once; outside one, every time."""

import pytest

from parley.routing import actions
from parley.routing.facts import brand_calendar
from parley.routing.models import RoutingRule
from parley.server.jobmemo import job, remembered
from parley.sla.models import BusinessCalendar

pytestmark = pytest.mark.django_db

RULE = {"all": [{"field": "text", "op": "keywords", "value": ["refund"]}]}


def test_rules_and_calendar_are_read_once_per_job(brand, django_assert_num_queries):
    RoutingRule.objects.create(brand=brand, name="refunds", conditions=RULE, actions=[{"type": "add_tag", "tag": "r"}])
    with job():
        assert len(actions.compiled_rules(brand)) == 1
        assert brand_calendar(brand) is None
        RoutingRule.objects.create(brand=brand, name="late", conditions=RULE, actions=[{"type": "add_tag", "tag": "l"}])
        with django_assert_num_queries(0):
            assert len(actions.compiled_rules(brand)) == 1  # the job's view
            assert brand_calendar(brand) is None
    # The next job (or any call outside one) sees the change.
    BusinessCalendar.objects.create(brand=brand, config={"timezone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}})
    assert len(actions.compiled_rules(brand)) == 2
    assert brand_calendar(brand) is not None


def test_outside_a_job_nothing_is_remembered():
    calls = []
    assert remembered("k", lambda: calls.append(1) or len(calls)) == 1
    assert remembered("k", lambda: calls.append(1) or len(calls)) == 2
    with job():
        assert remembered("k", lambda: calls.append(1) or len(calls)) == 3
        with job():  # nested: the outer job's memo
            assert remembered("k", lambda: 99) == 3
