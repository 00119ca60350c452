"""The learned part of the tone check: it catches paraphrases the rules miss, leaves polite firm
replies alone, runs offline from files inside the package, and scores deterministically."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from parley.composer.guardrails import check, tone_model
from parley.composer.guardrails.tone_model import ENCODER_DIR, HEAD_FILE, ToneModel

PARAPHRASES = [
    # Neither sentence holds a phrase the rules know (the rules give at most an info note).
    "We can't be held responsible for what you chose.",
    "Maybe look at the order summary properly before you pay next time.",
]
POLITE = [
    "I'm sorry, we can't refund opened software, but I can help you set it up now.",
    "Unfortunately the fare is non-refundable; I can move it to another date for free.",
    "Our policy allows returns within 30 days, and yours is still in time.",
    "That was our mistake, and the refund went out today.",
]


def tone_warnings(draft, context=None):
    return [f for f in check(draft, context or {}, only=("tone",)) if f.level != "info"]


@pytest.fixture
def rules_only(monkeypatch):
    monkeypatch.setattr(tone_model, "_model", None)
    monkeypatch.setattr(tone_model, "_failed", True)


@pytest.mark.parametrize("draft", PARAPHRASES)
def test_rules_alone_miss_these_paraphrases(rules_only, draft):
    assert tone_warnings(draft) == []


@pytest.mark.parametrize("draft", PARAPHRASES)
def test_the_model_flags_a_paraphrase_the_rules_miss(draft):
    found = tone_warnings(draft)
    assert len(found) == 1
    f = found[0]
    assert (f.check, f.level, f.start, f.end) == ("tone", "warn", 0, len(draft))
    assert "learned tone model" in f.message and f.suggestion
    assert f.message.split(":")[0] in ("Defensive", "Blaming", "Condescending", "Dismissive", "Negative framing")


def test_the_finding_spans_the_sentence_inside_a_longer_reply():
    draft = "Hi Dana, thanks for the photos. We can't be held responsible for what you chose. A voucher is attached."
    [f] = tone_warnings(draft)
    assert draft[f.start:f.end] == "We can't be held responsible for what you chose."


@pytest.mark.parametrize("draft", POLITE)
def test_polite_firm_replies_are_not_flagged(draft):
    assert tone_warnings(draft) == []


def test_a_sentence_a_rule_already_flags_gets_no_second_finding():
    draft = "As I already said, the refund takes five days."
    found = tone_warnings(draft)
    assert len(found) == 1 and "learned" not in found[0].message


def test_jokes_count_only_in_replies_to_complaints():
    draft = "Well, at least your sofa got to see the countryside! It arrives Monday."
    assert tone_warnings(draft, {"context": {"intent": "complaint"}})
    assert tone_warnings(draft, {"context": {"intent": "praise"}}) == []


def test_troll_replies_are_left_to_troll_engagement():
    draft = "Our staff did nothing wrong, so we don't see why you are complaining."
    assert tone_warnings(draft)
    assert tone_warnings(draft, {"context": {"troll": True}}) == []


def test_the_model_loads_offline_from_the_package(monkeypatch):
    assert HEAD_FILE.is_file() and (ENCODER_DIR / "encoder.onnx").is_file()
    assert "parley" in HEAD_FILE.parts and "parley" in ENCODER_DIR.parts

    def no_network(*args, **kwargs):
        raise AssertionError("the tone model must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model = ToneModel()
    [score] = model.score([PARAPHRASES[0]])
    assert score.score > model.threshold
    with np.load(HEAD_FILE, allow_pickle=False) as arrays:  # plain arrays, no pickle
        assert arrays["coef"].shape[0] == len(arrays["labels"]) == 7


def test_scores_are_deterministic_alone_or_in_a_batch():
    model = tone_model.load()
    assert model is not None
    sentences = PARAPHRASES + POLITE
    batch = [s.score for s in model.score(sentences)]
    alone = [model.score([s])[0].score for s in sentences]
    again = [s.score for s in ToneModel().score(sentences)]
    assert batch == alone == again
    remembered = [float(1 - row[model.ok]) for row in model.sentence_probabilities(sentences)]
    assert remembered == [float(1 - row[model.ok]) for row in model.sentence_probabilities(sentences)]
    assert np.allclose(remembered, batch)


def test_without_the_model_the_rules_still_run(rules_only):
    assert tone_warnings("Calm down, we're dealing with it.")
    assert tone_warnings(PARAPHRASES[0]) == []


def test_train_tone_refuses_a_data_folder_without_the_real_replies(tmp_path):
    """A mistyped --data must not silently retrain (and overwrite) the shipped model on less data."""
    pytest.importorskip("sklearn")
    from django.core.management import CommandError, call_command

    shipped = HEAD_FILE.read_bytes()
    with pytest.raises(CommandError, match="no twcs-labelled folder"):
        call_command("train_tone", "--data", str(tmp_path / "nowhere"))
    assert HEAD_FILE.read_bytes() == shipped
