"""The demo generator (pure): deterministic, varied, well-formed, and written in its own words."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from parley.inbox.demo.brands import BRANDS
from parley.inbox.demo.generator import generate
from parley.inbox.demo.scenarios import all_scenarios, common, content_for
from parley.inbox.demo.script import ActionEvent, PostEvent
from parley.inbox.demo.text import Slots
from tests.conftest import shared_path

NOW = datetime(2026, 11, 20, 18, 30, tzinfo=timezone.utc)
PLATFORMS = {"x", "facebook", "instagram", "youtube"}
PRIVATE_DATA = re.compile(r"\S+@(?:mail\.)?example\.(?:com|net|org)|07700 900\d{3}|\bWL\d{8}\b|\bTW-\d{4}-\d{4}\b|\bCT\d{7}\b")


@pytest.fixture(scope="module")
def full():
    return generate(NOW)


@pytest.fixture(scope="module")
def small():
    return generate(NOW, scale=0.1)


def _flat(data):
    return [(b.spec.slug, c.key, e) for b in data.brands for c in b.conversations for e in c.events]


def test_same_seed_and_now_give_the_same_data_set(full):
    again = generate(NOW)
    assert _flat(again) == _flat(full)


def test_another_seed_or_now_gives_another_data_set(full):
    assert _flat(generate(NOW, seed=7)) != _flat(full)
    later = generate(NOW + timedelta(hours=5))
    assert _flat(later) != _flat(full)
    assert max(e.at for _, _, e in _flat(later)) > NOW


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        generate(datetime(2026, 11, 20, 18, 30))


def test_size_of_the_full_set(full):
    assert 400 <= full.conversation_count <= 650
    assert full.post_count >= 1500
    assert [b.spec.slug for b in full.brands] == [spec.slug for spec in BRANDS]
    for brand in full.brands:
        assert len(brand.conversations) >= 150, brand.spec.slug
        platforms = Counter(c.platform for c in brand.conversations)
        assert set(platforms) == PLATFORMS, brand.spec.slug
        assert min(platforms.values()) >= 3, (brand.spec.slug, platforms)


@pytest.mark.parametrize("which", ["full", "small"])
def test_every_promised_kind_of_matter_is_in_every_brand(which, request):
    data = request.getfixturevalue(which)
    for brand in data.brands:
        traits = Counter(t for c in brand.conversations for t in c.traits)
        kinds = Counter(c.kind for c in brand.conversations)
        for trait in ("pileon", "pii", "hostile", "non_english", "vip", "multi_platform", "out_of_order"):
            assert traits[trait] >= 1, (brand.spec.slug, trait)
        for kind in ("complaint", "request", "question", "praise", "feedback", "troll", "spam"):
            assert kinds[kind] >= 1, (brand.spec.slug, kind)
        outcomes = {c.outcome for c in brand.conversations}
        assert {"untouched", "open", "pending_customer", "pending_internal", "resolved", "closed",
                "reopened"} <= outcomes


def test_incident_spike_on_one_brand(full):
    tidewire = next(b for b in full.brands if b.spec.slug == "tidewire")
    burst = [c for c in tidewire.conversations if "incident" in c.traits]
    assert len(burst) >= 20
    starts = sorted(c.events[0].created_at for c in burst)
    assert starts[-1] - starts[0] <= timedelta(hours=3)


def test_times_lie_in_the_last_week_and_arrive_in_order(full):
    for brand in full.brands:
        for convo in brand.conversations:
            assert convo.events, convo.key
            for event in convo.events:
                assert NOW - timedelta(days=8) < event.at <= NOW
                assert event.at.tzinfo is not None
                if isinstance(event, PostEvent):
                    assert event.created_at <= event.at
            assert [e.at for e in convo.events] == sorted(e.at for e in convo.events)


def test_evenings_are_busier_than_nights(full):
    hours = Counter(c.events[0].created_at.hour for b in full.brands for c in b.conversations
                    if "incident" not in c.traits)
    assert sum(hours[h] for h in range(18, 22)) > 3 * sum(hours[h] for h in range(2, 6))


def test_platform_ids_are_unique_and_every_action_follows_its_post(full):
    for brand in full.brands:
        seen = set()
        for event in brand.events():
            if isinstance(event, PostEvent):
                key = (event.platform, event.platform_id)
                assert key not in seen
                seen.add(key)
            elif event.verb != "merge_customer":
                assert (event.platform, event.anchor) in seen, event


def test_brand_replies_are_addressed_and_signed(full):
    for brand in full.brands:
        x_handle = brand.spec.channel("x").handle
        for convo in brand.conversations:
            for post in convo.posts:
                if post.direction == "out" and post.visibility == "public" and post.platform == "x":
                    assert post.text.startswith("@"), post.text
                if post.direction == "in" and post.platform == "x" and post.kind == "mention":
                    assert f"@{x_handle}" in post.text
                if post.direction == "out":
                    assert post.author is None and post.agent


def test_brand_never_repeats_private_data_in_public(full):
    for brand in full.brands:
        for convo in brand.conversations:
            for post in convo.posts:
                if post.direction == "out" and post.visibility == "public":
                    assert not PRIVATE_DATA.search(post.text), post.text


def test_customers_do_post_private_data_in_public(full):
    exposed = [p for b in full.brands for c in b.conversations for p in c.posts
               if p.direction == "in" and p.visibility == "public" and PRIVATE_DATA.search(p.text)]
    assert len(exposed) >= 9


def test_no_unfilled_slots(full):
    for _, _, event in _flat(full):
        text = event.text if isinstance(event, PostEvent) else str(event.value)
        assert not re.search(r"\{[a-z_0-9]+\}", text), text


def test_every_line_of_the_library_fills():
    names = [f.name for f in dataclasses.fields(content_for("fashion").scenarios[0])
             if f.type == "Lines"]
    base = {"first": "Ana", "brand": "B", "email": "e", "vip_role": "v", "agent": "Al", "team": "T", "other": "X"}
    for industry, scenario in all_scenarios():
        slots = content_for(industry).slots
        assert scenario.opening, scenario.key
        for name in names:
            for line in getattr(scenario, name):
                Slots(random.Random(0), slots, base).fill(line)
    for name in dir(common):
        value = getattr(common, name)
        if isinstance(value, tuple) and value and isinstance(value[0], str):
            for line in value:
                Slots(random.Random(0), content_for("telco").slots, base).fill(line)


def test_actions_use_the_brands_own_agents_and_teams(full):
    for brand in full.brands:
        usernames = {a.username for a in brand.spec.agents}
        teams = {t.slug for t in brand.spec.teams}
        for convo in brand.conversations:
            for action in convo.actions:
                assert isinstance(action, ActionEvent)
                assert action.actor in usernames or action.actor.startswith("platform:"), action
                if action.verb == "team":
                    assert action.value in teams
                if action.verb == "assign":
                    assert action.value in usernames


def test_demo_text_is_not_copied_from_the_shared_data(full):
    """Every line of the demo is written for Parley; none comes from the public data sets."""
    corpus = " ".join(
        shared_path(*parts).read_text(encoding="utf-8", errors="ignore").lower()
        for parts in (("data", "twcs-sample", "sample.csv"), ("data", "ibm-twitter-customer-care", "dev.json"),
                      ("data", "complaints-xci", "train.jsonl"))
    )
    lines = {line for _, scenario in all_scenarios() for line in scenario.opening + scenario.answer}
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            sentence = sentence.strip().lower()
            if len(sentence) >= 30 and "{" not in sentence:
                assert sentence not in corpus, sentence
