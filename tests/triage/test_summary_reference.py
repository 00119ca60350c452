"""The triage filters answer what a brute-force reading of every post's triage answers.

A generated inbox with many flag combinations (random triage, several posts per
conversation) is filtered through queries.conversations for hundreds of filter
combinations, with flags looked up as lists (rare) and as probes (common), and
compared with a plain Python reference over the triage rows. Every filter
pair with a combined flag (summary.PAIRS) is tried with every value, and a
summary whose combined flags are loosened (taken from different posts of a
conversation) must fail the comparison for each pair. The summary is built
every way: by `rebuild` after a bulk write (in SQL on PostgreSQL, in Python),
and by `refresh` per conversation, which must agree.
"""

from __future__ import annotations

import itertools
import random
from urllib.parse import urlencode
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.http import QueryDict

from parley.inbox import actions, queries
from parley.triage import queries as triage_queries
from parley.triage import summary
from parley.triage.models import ConversationTriageFlag, PostTriage
from tests.conftest import T0, incoming

TOPICS = ("refund", "delivery", "App", "late delivery", "Ärger")
FILTER_VALUES = {
    "intent": ("complaint", "question", "praise"),
    "sentiment": ("negative", "positive"),
    "outcome": ("refund", "unclear"),
    "severity_min": (1, 3, 4),
    "troll": ("yes", "no"),
    "private_data": ("yes", "no"),
    "needs_response": ("yes", "no"),
    "topic": ("refund", "app", "late delivery", "ärger"),
    "language": ("fr",),
}


FILTER_NAME = {"severity": "severity_min"}  # summary's kind -> the filter's name


def _random_triage(rng: random.Random, post) -> PostTriage:
    intent = rng.choice(("complaint", "complaint", "question", "praise", ""))
    return PostTriage(
        post=post,
        status=rng.choice(("triaged", "triaged", "triaged", "not_triaged", "pending")),
        intent=intent,
        sentiment=rng.choice(("negative", "neutral", "positive", "")),
        desired_outcome=rng.choice(("refund", "apology", "")),
        outcome_unclear=rng.choice((True, False, None)),
        severity=rng.choice((None, 0, 1, 2, 3, 4)) if intent == "complaint" else rng.choice((None, 0)),
        troll=rng.choice((None, 0.1, 0.49, 0.5, 0.9)),
        private_data_posted=rng.choice(([], [], ["email"])),
        topics=rng.sample(TOPICS, k=rng.choice((0, 1, 1, 2))),
        language=rng.choice(("en", "en", "fr", "")),
        needs_response=rng.choice((None, 0.2, 0.49, 0.5, 0.95)),
    )


def _matches(t: PostTriage, params: dict) -> bool:
    """The reference: does this one post's triage match every filter?"""
    for name, value in params.items():
        if name == "intent" and t.intent != value:
            return False
        if name == "sentiment" and t.sentiment != value:
            return False
        if name == "outcome" and not (t.outcome_unclear is True if value == "unclear" else t.desired_outcome == value):
            return False
        if name == "severity_min" and not (t.severity is not None and t.severity >= value):
            return False
        if name == "troll" and not (t.troll is not None and (t.troll >= 0.5) == (value == "yes")):
            return False
        if name == "private_data":
            if value == "yes" and not t.private_data_posted:
                return False
            if value == "no" and (t.private_data_posted or t.status not in ("triaged", "not_triaged")):
                return False
        if name == "needs_response":
            if value == "yes" and not (t.needs_response is not None and t.needs_response >= 0.5):
                return False
            if value == "no" and not (t.needs_response is not None and t.needs_response < 0.5
                                      and t.status == "triaged"):
                return False
        if name == "topic" and value.lower() not in {n.lower() for n in t.topics}:
            return False
        if name == "language" and t.language != value:
            return False
    return True


def _combinations(rng: random.Random) -> list[dict]:
    names = list(FILTER_VALUES)
    out = [{name: value} for name in names for value in FILTER_VALUES[name]]
    # Every topic with every severity (the combined flag), alone and with one more filter.
    out += [{"topic": t, "severity_min": s} for t in FILTER_VALUES["topic"] for s in FILTER_VALUES["severity_min"]]
    out += [{"topic": "refund", "severity_min": 3, name: FILTER_VALUES[name][0]}
            for name in names if name not in ("topic", "severity_min")]
    # Every filter pair with a combined flag, with every value, and with one more filter.
    for kinds in summary.PAIRS:
        a, b = (FILTER_NAME.get(kind, kind) for kind in kinds)
        out += [{a: x, b: y} for x in FILTER_VALUES[a] for y in FILTER_VALUES[b]]
        out += [{a: FILTER_VALUES[a][0], b: FILTER_VALUES[b][0], name: rng.choice(FILTER_VALUES[name])}
                for name in names if name not in (a, b)]
    for a, b in itertools.combinations(names, 2):
        out.append({a: rng.choice(FILTER_VALUES[a]), b: rng.choice(FILTER_VALUES[b])})
    for _ in range(25):
        picked = rng.sample(names, k=rng.choice((3, 4)))
        out.append({name: rng.choice(FILTER_VALUES[name]) for name in picked})
    return out


@pytest.fixture
def inbox(brand, channel):
    """About 40 conversations of 1-4 customer posts each, with random triage (bulk-written, then rebuilt)."""
    rng = random.Random(20261123)
    triage_rows, pid = [], 0
    for c in range(40):
        first = None
        for k in range(rng.randint(1, 4)):
            pid += 1
            p = actions.ingest_post(brand, channel, incoming(
                str(pid), "hello", author=f"customer{c}", at=T0 + timedelta(minutes=pid),
                reply_to=first or "")).post
            first = first or str(pid)
            if rng.random() < 0.9:  # a few posts have no triage row at all
                triage_rows.append(_random_triage(rng, p))
    PostTriage.objects.bulk_create(triage_rows)  # past save(): the summary knows nothing yet
    summary.rebuild(batch_size=7)  # small chunks: the brand's conversations take several
    return {t.post.conversation_id for t in triage_rows}, triage_rows, rng


@pytest.mark.parametrize("rare_flag", [triage_queries.RARE_FLAG, 1], ids=["lists", "probes"])
def test_filters_equal_the_brute_force_reference(inbox, users, brand, monkeypatch, rare_flag):
    conversation_ids, rows, rng = inbox
    assert len(conversation_ids) > 30
    monkeypatch.setattr(triage_queries, "RARE_FLAG", rare_flag)
    admin = users["admin"]
    combos = _combinations(rng)
    nonempty = 0
    for params in combos:
        expected = {t.post.conversation_id for t in rows if _matches(t, params)}
        f = queries.InboxFilter.from_params(QueryDict(urlencode({**params, "view": "all"})))
        got = {c.pk for c in queries.conversations(admin, brand, f)}
        assert got == expected, params
        nonempty += bool(expected)
    # The data set is not trivially empty for the combinations (nor full).
    assert nonempty > len(combos) // 3
    for kinds in summary.PAIRS:  # each pair finds some conversations, not all, alone
        pair = {FILTER_NAME.get(kind, kind) for kind in kinds}
        assert any(len(conversation_ids) > len({t.post.conversation_id for t in rows if _matches(t, p)}) > 0
                   for p in combos if set(p) == pair), kinds
    # Each pair alone is answered by its combined flag (no check of the posts).
    for kinds in summary.PAIRS:
        a, b = (FILTER_NAME.get(kind, kind) for kind in kinds)
        f = queries.InboxFilter.from_params(QueryDict(urlencode({a: FILTER_VALUES[a][0], b: FILTER_VALUES[b][0]})))
        sql = str(queries.conversations(admin, brand, f).query)
        assert "triage_posttriage" not in sql and "&" in sql, kinds


def _found(user, brand, params) -> set[int]:
    f = queries.InboxFilter.from_params(QueryDict(urlencode({**params, "view": "all"})))
    return {c.pk for c in queries.conversations(user, brand, f)}


def test_combined_flags_taken_from_different_posts_fail_the_reference(inbox, users, brand):
    """The data set tells one post from one conversation for every pair: a loosened summary is caught."""
    _, rows, _ = inbox
    admin = users["admin"]
    posts_of: dict[int, list] = {}
    for t in rows:
        posts_of.setdefault(t.post.conversation_id, []).append(
            summary._pair_atoms({c: getattr(t, c) for c in summary.COLUMNS}))
    exact = {(t.post.conversation_id, flag) for t in rows
             for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    for first, second in summary.PAIRS:
        loose = set(exact)
        for conversation_id, atoms in posts_of.items():  # any post's first value with any post's second
            loose.update((conversation_id, summary.combined_flag(x, y))
                         for x in {f for a in atoms for f in a.get(first, ())}
                         for y in {f for a in atoms for f in a.get(second, ())})
        ConversationTriageFlag.objects.all().delete()
        ConversationTriageFlag.objects.bulk_create(ConversationTriageFlag(conversation_id=c, flag=f) for c, f in loose)
        a, b = (FILTER_NAME.get(kind, kind) for kind in (first, second))
        wrong = [params for params in ({a: x, b: y} for x in FILTER_VALUES[a] for y in FILTER_VALUES[b])
                 if _found(admin, brand, params) != {t.post.conversation_id for t in rows if _matches(t, params)}]
        assert wrong, (first, second)


def test_rebuild_equals_refresh_and_is_idempotent(inbox):
    conversation_ids, rows, _ = inbox
    rebuilt = set(ConversationTriageFlag.objects.values_list("conversation_id", "flag"))
    expected = {(t.post.conversation_id, flag) for t in rows
                for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    assert rebuilt == expected
    assert any("&topic:" in flag for _, flag in rebuilt)
    assert summary.rebuild() == len(expected)  # a second run changes nothing
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected
    ConversationTriageFlag.objects.all().delete()
    summary.refresh(conversation_ids)
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected


def test_the_command_rebuilds_one_brand_and_refuses_a_bad_batch_size(inbox, brand):
    _, rows, _ = inbox
    stale = ConversationTriageFlag.objects.create(conversation_id=rows[0].post.conversation_id, flag="troll:stale")
    with pytest.raises(CommandError):
        call_command("triage_summary", "--no-progress", "--batch-size", "0")
    assert ConversationTriageFlag.objects.filter(pk=stale.pk).exists()  # nothing was touched
    with pytest.raises(CommandError, match="no brand with id 987654"):
        call_command("triage_summary", "--no-progress", "--brand", "987654")
    call_command("triage_summary", "--no-progress", "--brand", str(brand.pk), "--batch-size", "3")
    assert not ConversationTriageFlag.objects.filter(pk=stale.pk).exists()
    expected = {(t.post.conversation_id, flag) for t in rows
                for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected


@pytest.mark.parametrize("name, removed", [
    ("0003_triage_summary_combined_flags", Q(flag__startswith="severity>=", flag__contains="&")),
    ("0004_triage_summary_pair_flags", Q(flag__startswith="intent:", flag__contains="&")),
    ("0005_triage_summary_needs_response", Q(flag="needs_response") | Q(flag__endswith="&needs_response")),
], ids=["0003", "0004", "0005"])
def test_the_migrations_add_the_combined_flags_to_a_summary_built_without_them(inbox, name, removed):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(f"parley.triage.migrations.{name}")
    _, rows, _ = inbox
    gone = ConversationTriageFlag.objects.filter(removed)
    gone.delete()  # as the migration before left it
    assert not gone.exists()
    migration.rebuild(apps, None)
    expected = {(t.post.conversation_id, flag) for t in rows
                for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected
    assert gone.exists()

ODD_TRIAGE = [  # values the write path never stores, but a bulk load or a hand edit might
    {"topics": "refund"}, {"topics": {"refund": 1}}, {"topics": [1, "", None, "Ça va", "İstanbul", "STRASSE", "ǅemal"]},
    {"topics": ["x" * 120, "billing & payments", "y" * 80], "severity": 4, "intent": "complaint"},
    {"intent": "a&b", "sentiment": "negative", "topics": ["refund"]}, {"language": "fr&x", "intent": "question"},
    {"desired_outcome": "x&y", "outcome_unclear": False}, {"severity": 7, "topics": ["Ärger"], "sentiment": "neutral"},
    {"troll": 0.5}, {"troll": 0.4999}, {"private_data_posted": ""}, {"private_data_posted": "x"},
    {"private_data_posted": 0}, {"private_data_posted": 1.5}, {"private_data_posted": {}},
    {"private_data_posted": {"a": 1}}, {"private_data_posted": True}, {"private_data_posted": False},
    {"needs_response": 0.5, "intent": "question"}, {"needs_response": 0.4999, "intent": "question"},
    {"needs_response": 1.0, "intent": "a&b"},
]


def test_the_sql_rebuild_equals_the_python_rebuild(inbox, brand, channel):
    """The database computes the flags itself (summary_sql.py); they equal summary.flags_of's, odd values included."""
    _, rows, _ = inbox
    odd = []
    for k, values in enumerate(ODD_TRIAGE):
        p = actions.ingest_post(brand, channel, incoming(f"odd{k}", "hello", author=f"odd{k % 5}",
                                                         at=T0 + timedelta(days=1, minutes=k))).post
        odd.append(PostTriage(post=p, status="triaged", **values))
    PostTriage.objects.bulk_create(odd)
    triage = PostTriage.objects.select_related("post")
    expected = {(t.post.conversation_id, flag) for t in triage
                for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    assert {"topic:i̇stanbul", "topic:ça va", "topic:strasse", "topic:ǆemal", "severity>=4&topic:ärger"} <= {
        f for _, f in expected}
    assert summary.rebuild(batch_size=11, in_sql=False) == len(expected)
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected
    read = []
    assert summary.rebuild(batch_size=11, progress=read.append, in_sql=True) == len(expected)
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected
    assert sum(read) == len(rows) + len(odd)
