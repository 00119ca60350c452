"""Guardrail quality, measured: the labelled drafts, and false alarms on brands' real replies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.composer.quality import evaluate, load, real_findings, real_replies, sample_replies
from tests.conftest import shared_path

HERE = Path(__file__).parent / "labelled"


def test_labelled_drafts_meet_the_bar():
    report = evaluate(load(HERE / "drafts.jsonl"))
    assert report.drafts >= 300
    known_found, known_total = report.private_items["known"]
    pattern_found, pattern_total = report.private_items["pattern"]
    assert known_total >= 50 and known_found == known_total, report.private_missed
    assert pattern_total >= 30 and pattern_found / pattern_total >= 0.95, report.private_missed
    for name, score in report.per_check.items():
        assert score.tp + score.fn >= 3, f"{name} has too few positive drafts"
        assert score.recall >= 0.9, (name, score.misses)
        assert score.precision >= 0.9, (name, score.false_alarms)


@pytest.mark.parametrize("name", ["heldout.jsonl", "heldout2.jsonl"])
def test_heldout_drafts_keep_private_data_recall(name):
    report = evaluate(load(HERE / name))
    known_found, known_total = report.private_items["known"]
    pattern_found, pattern_total = report.private_items["pattern"]
    assert known_found == known_total, report.private_missed
    assert pattern_found / pattern_total >= 0.95, report.private_missed


PHRASE_CHECKS = ("tone", "vague_promise", "apology_liability", "missing_apology", "public_data_request",
                 "troll_engagement")


@pytest.mark.parametrize("name, floor", [("heldout3.jsonl", 0.9), ("heldout4.jsonl", 0.75)])
def test_phrase_checks_on_the_later_held_out_sets(name, floor):
    """heldout3 was measured blind, then the checks were generalised on it; heldout4 was measured
    blind after that (docs/guardrails.md has both first runs). These keep the gains from slipping."""
    report = evaluate(load(HERE / name))
    assert report.drafts >= 90
    for check in PHRASE_CHECKS:
        score = report.per_check[check]
        assert score.recall >= floor, (check, score.misses)
        assert score.precision >= 0.85, (check, score.false_alarms)


def test_every_finding_on_real_replies_is_labelled_and_false_alarms_stay_rare():
    data = shared_path("data", "twcs-labelled").parent
    records = real_replies(data)
    assert len(records) >= 800
    labels = {(r["source"], r["id"], r["check"]): r for r in map(json.loads, open(HERE / "real_reply_labels.jsonl"))}
    found = {(r["source"], r["id"], r["check"]) for r in real_findings(records)}
    assert found - set(labels) == set(), "new findings on real replies: label them in real_reply_labels.jsonl"
    assert set(labels) - found == set(), "labelled findings no longer fire: update real_reply_labels.jsonl"
    false_replies = {(s, i) for (s, i, _), r in labels.items() if r["verdict"] == "false" and (s, i, _) in found}
    assert len(false_replies) / len(records) <= 0.02


def test_held_out_real_sample_has_no_false_alarms():
    data = shared_path("data", "twcs-sample").parent
    assert real_findings(sample_replies(data)) == []


def test_suggestions_from_history_find_the_right_document_on_ibm_conversations():
    from parley.composer.quality import retrieval_quality

    data = shared_path("data", "ibm-twitter-customer-care").parent
    q = retrieval_quality(data)
    assert q["conversations"] >= 500
    everything = q["by_floor"][0.0]
    # Grouping near-identical replies beats the nearest neighbour alone and the majority answer.
    assert everything["hit_at_1"] > q["nearest_neighbour_at_1"]
    assert everything["hit_at_1"] > q["baseline_majority"]
    assert everything["hit_at_3"] >= 0.45
    in_use = q["by_floor"][q["floor_in_use"]]
    assert in_use["right_when_shown"] >= 0.5


def test_tone_on_the_fifth_held_out_set_with_the_learned_model():
    """heldout5 was written before the learned tone model (docs/guardrails.md): rules alone catch
    none of its 56 tone problems; with the model, keep the shipped figures (P 0.97, R 0.54)."""
    report = evaluate(load(HERE / "heldout5.jsonl"))
    assert report.drafts >= 150
    tone = report.per_check["tone"]
    assert tone.tp + tone.fn >= 50
    assert tone.recall >= 0.5, tone.misses
    assert tone.precision >= 0.9, tone.false_alarms
