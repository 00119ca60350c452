"""Suggestions (pure): retrieval, personalisation, rules, and the guardrail filter."""

from __future__ import annotations

from parley.composer.guardrails import Context
from parley.composer.suggestions.ranking import Situation, personalise, suggest
from parley.composer.suggestions.retrieval import Pair, ReplyIndex

PAIRS = [
    Pair("my parcel never arrived", "@bob Sorry Bob! A courier trace is open; update by 5 pm. ^AB", 1, "Bob", True),
    Pair("parcel missing, tracking says delivered", "Sorry Ann, a courier trace is open; update by 5 pm.", 2, "Ann"),
    Pair("how do I reset my password", "Use Forgot password on the login page.", 3),
    Pair("the app keeps crashing on my phone", "Please update the app and restart your phone.", 4),
]


def test_index_ranks_the_most_similar_post_first():
    index = ReplyIndex(PAIRS)
    hits = index.query("My PARCEL never arrived!!! https://t.co/x @acme")
    assert [h.pair.conversation_id for h in hits[:2]] == [1, 2]
    assert hits[0].similarity > hits[1].similarity > 0
    assert index.query("") == [] and index.query("zzzz qqqq") == []
    assert ReplyIndex([]).query("parcel") == []


def test_personalise_swaps_names_and_drops_handles_and_signatures():
    assert personalise("@bob Sorry Bob! Trace open. ^AB", "Bob", "Dana") == "Sorry Dana! Trace open."
    assert personalise("Sorry Bob! Trace open.", "Bob", "") == "Sorry there! Trace open."
    assert personalise("Trace open.", "", "Dana") == "Hi Dana, trace open."


def test_history_suggestions_are_merged_and_ranked():
    hits = ReplyIndex(PAIRS).query("my parcel never arrived")
    out = suggest(Situation(customer_first_name="Dana"), hits, [], Context())
    assert out[0].kind == "history" and out[0].text.startswith("Sorry Dana! A courier trace")
    assert len([s for s in out if "courier trace" in s.text]) == 1  # near-duplicates merged


def test_rules_clarify_deescalate_and_offer_a_call():
    kinds = [s.kind for s in suggest(Situation("Dana", intent="complaint", outcome_unclear=True), [], [], Context())]
    assert kinds == ["clarify"]
    kinds = [s.kind for s in suggest(Situation("Dana", intent="complaint", desired_outcome="refund", anger=0.9),
                                     [], [], Context())]
    assert kinds == ["call"]
    troll = suggest(Situation("Dana", intent="abuse", troll=True, anger=0.9), [], [], Context())
    assert [s.kind for s in troll] == ["deescalate"] and len(troll[0].text) < 240


def test_suggestions_blocked_by_the_guardrails_are_dropped():
    pairs = [Pair("where is my order", "Your order 113-1234567-1234567 ships today.", 9)]
    hits = ReplyIndex(pairs).query("where is my order")
    assert suggest(Situation(), hits, [], Context(visibility="public")) == []
    assert suggest(Situation(), hits, [], Context(visibility="private"))
