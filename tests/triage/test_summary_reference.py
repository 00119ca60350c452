"""The triage filters answer what a brute-force reading of every post's triage answers.

A generated inbox with many flag combinations (random triage, several posts per
conversation) is filtered through queries.conversations for hundreds of filter
combinations, with flags looked up as lists (rare) and as probes (common), and
compared with a plain Python reference over the triage rows. The summary is
built both ways: by `rebuild` after a bulk write and by `refresh` per
conversation, which must agree.
"""

from __future__ import annotations

import itertools
import random
from urllib.parse import urlencode
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict

from parley.inbox import actions, queries
from parley.triage import queries as triage_queries
from parley.triage import summary
from parley.triage.models import ConversationTriageFlag, PostTriage
from tests.conftest import T0, incoming

TOPICS = ("refund", "delivery", "App", "late delivery")
FILTER_VALUES = {
    "intent": ("complaint", "question", "praise"),
    "sentiment": ("negative", "positive"),
    "outcome": ("refund", "unclear"),
    "severity_min": (1, 3, 4),
    "troll": ("yes", "no"),
    "private_data": ("yes", "no"),
    "topic": ("refund", "app", "late delivery"),
    "language": ("fr",),
}


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
    assert any(len(conversation_ids) > len({t.post.conversation_id for t in rows if _matches(t, p)}) > 0
               for p in combos if "topic" in p and "severity_min" in p)


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


def test_migration_0003_adds_the_combined_flags_to_a_summary_built_without_them(inbox):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("parley.triage.migrations.0003_triage_summary_combined_flags")
    _, rows, _ = inbox
    ConversationTriageFlag.objects.filter(flag__contains="&topic:").delete()  # as 0002 left it
    assert not ConversationTriageFlag.objects.filter(flag__contains="&topic:").exists()
    migration.rebuild(apps, None)
    expected = {(t.post.conversation_id, flag) for t in rows
                for flag in summary.flags_of({c: getattr(t, c) for c in summary.COLUMNS})}
    assert set(ConversationTriageFlag.objects.values_list("conversation_id", "flag")) == expected
    assert ConversationTriageFlag.objects.filter(flag__contains="&topic:").exists()
