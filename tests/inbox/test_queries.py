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


def test_triage_filter_parameters_are_parsed_leniently():
    f = queries.InboxFilter.from_params(QueryDict(
        "intent=Complaint&sentiment=negative&outcome=account_access&severity_min=2&troll=yes&private_data=no"
        "&topic=late%20delivery&language=ES&needs_response=Yes"
    ))
    assert (f.intent, f.sentiment, f.outcome, f.severity_min) == ("complaint", "negative", "account_access", 2)
    assert (f.troll, f.private_data, f.topic, f.language) == (True, False, "late delivery", "es")
    assert f.needs_response is True
    assert f.triage_filtered
    assert queries.InboxFilter.from_params(QueryDict("needs_response=no")).triage_filtered
    f = queries.InboxFilter.from_params(QueryDict(
        "intent=rage&sentiment=meh&outcome=world&severity_min=0&troll=maybe&private_data=&topic=%22%5D%25&language=e1"
        "&needs_response=maybe"
    ))
    assert (f.intent, f.sentiment, f.outcome, f.severity_min, f.troll, f.private_data, f.topic, f.language) == (
        "", "", "", None, None, None, "", "")
    assert f.needs_response is None
    assert not f.triage_filtered
    assert queries.InboxFilter.from_params(QueryDict("outcome=unclear")).outcome == "unclear"


def test_triage_filter_matches_any_customer_post_but_not_brand_posts(brand, channel, users):
    from parley.triage.models import PostTriage

    first = actions.ingest_post(brand, channel, incoming("1", "thanks", author="a", at=T0)).post
    second = actions.ingest_post(brand, channel, incoming("2", "refund now", author="a", at=T0 + timedelta(minutes=1),
                                                          reply_to="1")).post
    conv = first.conversation
    assert second.conversation_id == conv.pk
    PostTriage.objects.create(post=first, status="triaged", intent="praise", topics=["service"])
    PostTriage.objects.create(post=second, status="triaged", intent="complaint", severity=3, topics=["refund"])
    admin = users["admin"]

    def found(params):
        return list(queries.conversations(admin, brand, queries.InboxFilter.from_params(QueryDict(params))))

    assert found("intent=praise") == found("intent=complaint") == [conv]
    # All the triage filters must hold for one and the same post.
    assert found("intent=praise&severity_min=3") == []
    assert found("topic=refund&severity_min=3") == [conv]
    assert found("topic=serv") == []


def test_triage_filtered_lists_count_to_a_lower_cap(brand, channel, users, monkeypatch):
    from parley.triage.models import PostTriage

    for i in range(3):
        post = actions.ingest_post(brand, channel, incoming(str(i), "refund", author=f"a{i}", at=T0)).post
        PostTriage.objects.create(post=post, status="triaged", intent="complaint")
    monkeypatch.setattr(queries, "TRIAGE_LIST_COUNT_CAP", 2)
    admin = users["admin"]
    count = queries.conversations(admin, brand, queries.InboxFilter.from_params(QueryDict("intent=complaint"))).count()
    assert count == 2 and str(count) == "2+"
    plain = queries.conversations(admin, brand, queries.InboxFilter.from_params(QueryDict(""))).count()
    assert plain == 3 and str(plain) == "3"
