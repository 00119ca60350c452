"""The conversations' triage summary (flags the inbox filters read) follows every triage write."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from parley.inbox import actions, queries
from parley.triage import queries as triage_queries
from parley.triage import summary
from parley.triage.actions import correct_triage
from parley.triage.models import ConversationTriageFlag, PostTriage
from parley.triage.service import triage_post_now
from tests.conftest import T0, incoming


def flags(conversation) -> set[str]:
    return set(ConversationTriageFlag.objects.filter(conversation=conversation).values_list("flag", flat=True))


def found(user, brand, params: str) -> set[int]:
    f = queries.InboxFilter.from_params(QueryDict(params + "&view=all"))
    return {c.pk for c in queries.conversations(user, brand, f)}


def post(brand, channel, pid, text, author="a", reply_to=None, minutes=0):
    return actions.ingest_post(brand, channel, incoming(pid, text, author=author, at=T0 + timedelta(minutes=minutes),
                                                        reply_to=reply_to)).post


def test_flags_of_a_triage_row():
    row = {"intent": "complaint", "sentiment": "negative", "desired_outcome": "refund", "outcome_unclear": True,
           "severity": 3, "troll": 0.5, "private_data_posted": ["email"], "topics": ["Late Delivery", "app"],
           "language": "en", "needs_response": 0.5}
    assert summary.flags_of(row) == {
        "intent:complaint", "sentiment:negative", "outcome:refund", "outcome:unclear", "severity>=1",
        "severity>=2", "severity>=3", "troll", "private_data", "topic:late delivery", "topic:app", "language:en",
        # One combined flag per pair of this post's values (summary.PAIRS), severity at each level.
        *(f"severity>={level}&topic:{name}" for level in (1, 2, 3) for name in ("late delivery", "app")),
        *(f"intent:complaint&severity>={level}" for level in (1, 2, 3)),
        "intent:complaint&topic:late delivery", "intent:complaint&topic:app", "sentiment:negative&topic:app",
        "sentiment:negative&topic:late delivery", "intent:complaint&language:en", "intent:complaint&sentiment:negative",
        "needs_response", "intent:complaint&needs_response"}
    # A topic without severity (or severity without a topic) combines into nothing; a topic
    # name that looks like a combined flag cannot pass for one (a topic always comes last).
    assert summary.flags_of({"topics": ["refund"], "severity": 0}) == {"topic:refund"}
    assert summary.flags_of({"topics": ["x&severity>=3"]}) == {"topic:x&severity>=3"}
    # A value with "&" (no filter accepts one) gets no flag, so none can pass for a combined flag.
    assert summary.flags_of({"intent": "complaint&topic:refund", "topics": ["refund"]}) == {"topic:refund"}
    assert summary.required_flags(topic="Refund", severity_min=3) == ["severity>=3&topic:refund"]
    # Values of a pair are one flag; each value joins one pair at most, the rest stay single.
    assert summary.required_flags(intent="complaint", topic="refund") == ["intent:complaint&topic:refund"]
    assert summary.required_flags(intent="complaint", severity_min=3, topic="refund", troll=True) == [
        "severity>=3&topic:refund", "intent:complaint", "troll"]
    assert summary.required_flags(intent="question", sentiment="negative", language="fr", outcome="unclear") == [
        "intent:question&language:fr", "sentiment:negative", "outcome:unclear"]
    # Needs a response from NEEDS_RESPONSE_MIN (0.5) on; with an intent it is also a combined flag,
    # the intent first; it joins a pair after the rarer ones do.
    assert summary.flags_of({"needs_response": 0.4999, "intent": "praise"}) == {"intent:praise"}
    assert summary.required_flags(intent="question", needs_response=True) == ["intent:question&needs_response"]
    assert summary.required_flags(needs_response=True) == ["needs_response"]
    assert summary.required_flags(intent="question", sentiment="negative", needs_response=True) == [
        "intent:question&sentiment:negative", "needs_response"]
    assert summary.required_flags(intent="question", needs_response=False) == ["intent:question"]
    # A pending row (defaults) has no flags; a low troll score, severity 0 and no private data add none.
    assert summary.flags_of({"intent": "", "severity": None, "troll": None, "topics": [], "outcome_unclear": None}) == set()
    assert summary.flags_of({"severity": 0, "troll": 0.49, "private_data_posted": []}) == set()


def test_the_triage_write_path_and_corrections_keep_the_flags(brand, channel, users):
    first = post(brand, channel, "1", "where is my parcel?")
    conv = first.conversation
    triage = triage_post_now(first, now=T0)
    stored = summary.flags_of({c: getattr(triage, c) for c in summary.COLUMNS})
    assert flags(conv) == stored and f"intent:{triage.intent}" in stored
    admin = users["admin"]
    assert conv.pk not in found(admin, brand, "troll=yes")

    correct_triage(first, "troll", True, admin, now=T0)
    assert "troll" in flags(conv)
    assert found(admin, brand, "troll=yes") == {conv.pk}
    correct_triage(first, "troll", False, admin, now=T0)
    assert "troll" not in flags(conv)
    assert found(admin, brand, "troll=yes") == set()

    correct_triage(first, "intent", "abuse", admin, now=T0)
    assert "intent:abuse" in flags(conv) and f"intent:{triage.intent}" not in flags(conv) - {"intent:abuse"}
    assert found(admin, brand, "intent=abuse") == {conv.pk}
    correct_triage(first, "severity", 4, admin, now=T0)
    assert found(admin, brand, "severity_min=4") == {conv.pk}
    correct_triage(first, "severity", 1, admin, now=T0)
    assert found(admin, brand, "severity_min=2") == set()


def test_a_flag_stays_while_another_post_of_the_conversation_has_it(brand, channel, users):
    first = post(brand, channel, "1", "thanks")
    second = post(brand, channel, "2", "refund now", reply_to="1", minutes=1)
    conv = first.conversation
    PostTriage.objects.create(post=first, status="triaged", intent="abuse", troll=0.9)
    PostTriage.objects.create(post=second, status="triaged", intent="complaint", troll=0.8, topics=["refund"])
    assert {"troll", "intent:abuse", "intent:complaint", "topic:refund"} <= flags(conv)
    correct_triage(second, "troll", False, users["admin"], now=T0)
    assert "troll" in flags(conv)  # the first post is still a troll's
    correct_triage(first, "troll", False, users["admin"], now=T0)
    assert "troll" not in flags(conv)


def test_saving_other_columns_does_not_recompute(brand, channel):
    first = post(brand, channel, "1", "thanks")
    triage = PostTriage.objects.create(post=first, status="triaged", intent="praise")
    triage.priority = 12
    with CaptureQueriesContext(connection) as ctx:
        triage.save(update_fields=["priority"])
    assert len(ctx.captured_queries) == 1
    assert flags(first.conversation) == {"intent:praise"}


def test_merging_conversations_moves_the_flags(brand, channel, users):
    a = post(brand, channel, "1", "my card number leaked", author="a")
    b = post(brand, channel, "2", "hello", author="b")
    PostTriage.objects.create(post=a, status="triaged", intent="complaint", private_data_posted=["card"])
    PostTriage.objects.create(post=b, status="triaged", intent="chatter")
    source, target = a.conversation, b.conversation
    admin = users["admin"]
    assert found(admin, brand, "private_data=yes") == {source.pk}
    actions.merge_conversations(source, target, admin)
    assert flags(source) == set()
    assert flags(target) == {"intent:complaint", "intent:chatter", "private_data"}
    assert found(admin, brand, "private_data=yes") == {target.pk}


def test_rebuild_after_a_bulk_write(brand, channel, users):
    a = post(brand, channel, "1", "refund", author="a")
    b = post(brand, channel, "2", "refund", author="b")
    # bulk_create bypasses save(): the summary knows nothing until it is rebuilt.
    PostTriage.objects.bulk_create([
        PostTriage(post=a, status="triaged", intent="complaint", severity=4, topics=["refund"]),
        PostTriage(post=b, status="triaged", intent="complaint", severity=2, topics=["refund"]),
    ])
    ConversationTriageFlag.objects.create(conversation=b.conversation, flag="troll")  # stale: removed
    admin = users["admin"]
    assert found(admin, brand, "severity_min=4") == set()
    call_command("triage_summary", "--no-progress", "--batch-size", "1")
    assert found(admin, brand, "severity_min=4") == {a.conversation_id}
    assert found(admin, brand, "topic=refund") == {a.conversation_id, b.conversation_id}
    assert found(admin, brand, "troll=yes") == set()


def test_one_rare_filter_reads_the_summary_only(brand, channel, users):
    a = post(brand, channel, "1", "refund", author="a")
    PostTriage.objects.create(post=a, status="triaged", intent="abuse", troll=0.9, language="fr")
    admin = users["admin"]
    for params in ("troll=yes", "private_data=yes", "topic=refund", "severity_min=3", "intent=abuse", "language=fr",
                   "topic=refund&severity_min=3", "intent=abuse&language=fr", "intent=complaint&topic=refund",
                   "sentiment=negative&topic=refund", "intent=complaint&severity_min=2",
                   "intent=question&sentiment=negative"):
        f = queries.InboxFilter.from_params(QueryDict(params))
        sql = str(queries.conversations(admin, brand, f).query)
        assert "triage_posttriage" not in sql and "triage_conversationtriageflag" in sql, params
    # Combined filters still need one post to match them all (see test_queries).
    f = queries.InboxFilter.from_params(QueryDict("troll=yes&language=fr"))
    assert "triage_posttriage" in str(queries.conversations(admin, brand, f).query)
    assert found(admin, brand, "troll=yes&language=fr") == {a.conversation_id}
    assert found(admin, brand, "troll=no") == set()


def test_common_flags_are_probed_per_conversation_with_the_same_answers(brand, channel, users, monkeypatch):
    a = post(brand, channel, "1", "refund", author="a")
    b = post(brand, channel, "2", "refund", author="b")
    PostTriage.objects.create(post=a, status="triaged", intent="complaint", severity=3, topics=["refund"])
    PostTriage.objects.create(post=b, status="triaged", intent="question", private_data_posted=["email"])
    admin = users["admin"]
    cases = ("intent=complaint", "private_data=yes", "topic=refund&severity_min=3", "intent=question&severity_min=1")
    rare = {params: found(admin, brand, params) for params in cases}
    monkeypatch.setattr(triage_queries, "RARE_FLAG", 1)  # every flag counts as common: EXISTS probes
    assert {params: found(admin, brand, params) for params in cases} == rare == {
        "intent=complaint": {a.conversation_id}, "private_data=yes": {b.conversation_id},
        "topic=refund&severity_min=3": {a.conversation_id}, "intent=question&severity_min=1": set()}
