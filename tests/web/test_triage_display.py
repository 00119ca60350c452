"""What the inbox says about a triage (parley.triage.display; pure)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from parley.triage import display

BASE = dict(status="triaged", reason="", intent="question", intent_scores={"question": 0.71}, complaint=0.1,
            sentiment="neutral", emotion="neutral", severity=0, anger=0.1, offensive=0.1, hate=0.0, troll=0.0,
            desired_outcome="none", outcome_unclear=False, needs_response=0.2, language="en", topics=[],
            private_data_posted=[], explanation={}, priority=20, priority_breakdown=[])


def triage(**fields):
    return SimpleNamespace(**{**BASE, **fields})


def texts(t, **kw):
    return [b.text for b in display.badges(t, **kw)]


def test_a_calm_question_shows_little():
    assert texts(triage()) == ["question"]
    assert texts(triage(), full=True) == ["question", "neutral", "no reply needed"]


def test_warnings_appear_at_their_thresholds():
    t = triage(intent="complaint", complaint=0.9, severity=3, anger=0.5, sentiment="negative", troll=0.5,
               offensive=0.49, hate=0.6, desired_outcome="account_access", needs_response=0.5, language="de",
               topics=["app"], private_data_posted=["card", "order_number"])
    shown = {b.kind: b for b in display.badges(t)}
    assert shown["severity"].text == "severity 3/4" and shown["severity"].level == "danger"
    assert shown["anger"].text == "angry 50%"
    assert shown["troll"].level == "danger" and shown["offensive"].text == "hate speech"
    assert shown["outcome"].text == "wants: account access"
    assert shown["needs-response"].text == "needs reply"
    assert shown["language"].text == "language: de" and shown["topic"].text == "app"
    assert shown["private"].text == "private data posted: card number, order number"
    assert "severity" not in {b.kind for b in display.badges(triage(severity=2))}  # not a complaint


def test_unclear_outcome_and_corrections():
    t = triage(desired_outcome="refund", outcome_unclear=True)
    (outcome,) = [b for b in display.badges(t, corrected={"desired_outcome"}) if b.kind == "outcome"]
    assert outcome.text == "wants: unclear" and outcome.corrected


def test_untriaged_posts_say_why_and_keep_language_and_private_data():
    v = display.view(triage(status="not_triaged", reason="empty post", intent="", language="es",
                            private_data_posted=["email"]))
    assert not v.triaged and v.not_triaged_text == "Not triaged: empty post"
    assert [b.kind for b in v.badges] == ["language", "private"]
    assert display.view(None).not_triaged_text.startswith("Not triaged yet")
    assert "retried" in display.view(triage(status="failed", reason="boom")).not_triaged_text


def test_menu_marks_current_values_and_who_corrected():
    v = display.view(triage(intent="complaint", severity=2, troll=1.0, offensive=0.0), {"intent": "Cara"})
    rows = {r["field"]: r for r in v.menu()}
    assert rows["intent"]["corrected_by"] == "Cara"
    assert [value for value, _, current in rows["intent"]["choices"] if current] == ["complaint"]
    assert [value for value, _, current in rows["severity"]["choices"] if current] == ["2"]
    assert [value for value, _, current in rows["troll"]["choices"] if current] == ["yes"]
    assert [value for value, _, current in rows["offensive"]["choices"] if current] == ["no"]


@pytest.mark.parametrize("field, raw, value", [
    ("intent", " Complaint ", "complaint"), ("severity", "4", 4), ("troll", "no", False),
    ("offensive", "yes", True), ("desired_outcome", "to_be_heard", "to_be_heard"),
])
def test_parse_value(field, raw, value):
    assert display.parse_value(field, raw) == value


@pytest.mark.parametrize("field, raw", [("intent", "rage"), ("severity", "5"), ("troll", "maybe"),
                                        ("model_version", "x"), ("hate", "yes")])
def test_parse_value_refuses(field, raw):
    with pytest.raises(ValueError):
        display.parse_value(field, raw)
