from datetime import timedelta

from django.http import QueryDict

from parley.inbox import actions, queries
from parley.inbox.models import Status
from tests.conftest import T0, incoming


def test_filters_sorting_and_counts(brand, channel, users, teams):
    a = actions.ingest_post(brand, channel, incoming("1", "late parcel", author="a", at=T0)).conversation
    b = actions.ingest_post(brand, channel, incoming("2", "refund please", author="b", at=T0 - timedelta(hours=1))).conversation
    c = actions.ingest_post(brand, channel, incoming("3", "love it", author="c", at=T0 + timedelta(hours=1))).conversation
    actions.set_team(b, teams["billing"], users["admin"])
    actions.assign(a, users["care_agent"], users["admin"])
    actions.resolve(c, users["admin"])
    admin = users["admin"]

    f = queries.InboxFilter.from_params(QueryDict(""))
    assert list(queries.conversations(admin, brand, f)) == [b, a]
    f = queries.InboxFilter.from_params(QueryDict("q=refund"))
    assert list(queries.conversations(admin, brand, f)) == [b]
    f = queries.InboxFilter.from_params(QueryDict("assignee=none"))
    assert list(queries.conversations(admin, brand, f)) == [b]
    f = queries.InboxFilter.from_params(QueryDict(f"team={teams['billing'].pk}"))
    assert list(queries.conversations(admin, brand, f)) == [b]
    f = queries.InboxFilter.from_params(QueryDict("status=resolved"))
    assert list(queries.conversations(admin, brand, f)) == [c]
    f = queries.InboxFilter.from_params(QueryDict("view=bogus&sort=evil"))
    assert (f.view, f.sort) == ("active", "waiting")

    counts = queries.view_counts(admin, brand)
    assert counts["active"] == 2 and counts["resolved"] == 1 and counts["unassigned"] == 1
    assert queries.view_counts(users["care_agent"], brand)["mine"] == 1
    # The care agent cannot see billing's conversation in any view.
    f = queries.InboxFilter.from_params(QueryDict("view=all"))
    assert b not in list(queries.conversations(users["care_agent"], brand, f))
    assert Status.MERGED not in [x.status for x in queries.conversations(admin, brand, f)]
