"""The routing evaluator: every field kind, operator, action, ordering and stop (pure, no database)."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from parley.routing.rules import Context, PostFacts, RuleError, compile_rule, evaluate, preview
from parley.sla.calendar import Calendar

UTC = timezone.utc
NOW = datetime(2026, 11, 4, 10, 30, tzinfo=UTC)  # a Wednesday


def rule(conditions, actions=None, stop=False, rid="r"):
    return compile_rule({"name": rid, "conditions": conditions, "actions": actions or [{"type": "add_tag", "tag": rid}],
                         "stop": stop}, rid)


def hit(conditions, facts, now=NOW, ctx=None):
    return not evaluate(facts, [rule(conditions)], now, ctx).empty


def cond(field, op, value=None):
    return {"all": [{"field": field, "op": op, "value": value}]}


FACTS = PostFacts(
    text="I was charged TWICE for my order, I want a refund now!!", platform="x", channel="AcmeHelp",
    kind="mention", visibility="public", language="en", vip=False, followers=12000, verified=True, likes=40,
    reposts=5, replies=3,
    triage={"intent": "complaint", "sentiment": "negative", "severity": 3, "anger": 0.8, "troll": 0.05,
            "topics": ["billing", "refund"], "outcome_unclear": False, "desired_outcome": "refund"},
)


@pytest.mark.parametrize("conditions, expected", [
    (cond("intent", "eq", "complaint"), True),
    (cond("intent", "eq", "COMPLAINT"), True),
    (cond("intent", "ne", "complaint"), False),
    (cond("intent", "in", ["question", "complaint"]), True),
    (cond("intent", "not_in", ["question", "complaint"]), False),
    (cond("sentiment", "eq", "positive"), False),
    (cond("emotion", "empty", True), True),
    (cond("desired_outcome", "eq", "refund"), True),
    (cond("severity", "gte", 3), True),
    (cond("severity", "gt", 3), False),
    (cond("anger", "between", [0.5, 1]), True),
    (cond("troll", "lt", 0.1), True),
    (cond("offensive", "gte", 0.1), False),  # unknown value never satisfies a comparison
    (cond("offensive", "lt", 0.1), False),
    (cond("topics", "contains", "refund"), True),
    (cond("topics", "contains", ["refund", "shipping"]), False),
    (cond("topics", "contains_any", ["shipping", "billing"]), True),
    (cond("topics", "not_contains", "shipping"), True),
    (cond("outcome_unclear", "is", False), True),
    (cond("platform", "eq", "x"), True),
    (cond("platform", "in", ["facebook", "instagram"]), False),
    (cond("channel", "eq", "acmehelp"), True),
    (cond("kind", "eq", "dm"), False),
    (cond("visibility", "eq", "public"), True),
    (cond("public", "is", True), True),
    (cond("language", "in", ["en", "de"]), True),
    (cond("vip", "is", True), False),
    (cond("verified", "is", True), True),
    (cond("followers", "gte", 10000), True),
    (cond("reach", "gte", 12048), True),
    (cond("reach", "gt", 12048), False),
    (cond("text", "keywords", ["refund"]), True),
    (cond("text", "keywords", ["charged twice"]), True),  # phrase, any case
    (cond("text", "keywords", ["fund"]), False),  # whole words only
    (cond("text", "all_keywords", ["refund", "order"]), True),
    (cond("text", "all_keywords", ["refund", "shipping"]), False),
    (cond("text", "not_keywords", ["lawyer", "sue"]), True),
    (cond("text", "matches", r"charged\s+(twice|two times)"), True),
    (cond("text", "matches", r"^refund"), False),
    (cond("text", "not_matches", r"\border #?\d{6}\b"), True),
    (cond("text", "keywords", ["a.b"]), False),  # keywords are literal, never regex
])
def test_each_field_and_operator(conditions, expected):
    assert hit(conditions, FACTS) is expected


def test_conditions_all_must_hold_and_any_needs_one():
    both = {"all": [{"field": "platform", "op": "eq", "value": "x"},
                    {"field": "intent", "op": "eq", "value": "complaint"}]}
    assert hit(both, FACTS)
    both["all"][1]["value"] = "praise"
    assert not hit(both, FACTS)
    either = {"any": [{"field": "vip", "op": "is", "value": True}, {"field": "followers", "op": "gte", "value": 10000}]}
    assert hit(either, FACTS)
    either["any"][1]["value"] = 10 ** 9
    assert not hit(either, FACTS)
    mixed = {"all": [{"field": "platform", "op": "eq", "value": "x"}],
             "any": [{"field": "vip", "op": "is", "value": True}]}
    assert not hit(mixed, FACTS)


def test_a_rule_without_conditions_matches_everything():
    assert hit({}, PostFacts())
    assert hit([], PostFacts())


def test_missing_triage_does_not_break_rules():
    bare = PostFacts(text="hello")
    assert not hit(cond("intent", "eq", "complaint"), bare)
    assert hit(cond("intent", "empty", True), bare)
    assert not hit(cond("topics", "contains_any", ["billing"]), bare)


def test_time_of_day_weekday_and_hour_use_the_brand_time_zone():
    ny = Context(now=NOW, tz=ZoneInfo("America/New_York"))  # 05:30 in New York
    assert hit(cond("hour", "eq", 5), FACTS, ctx=ny)
    assert hit(cond("hour", "eq", 10), FACTS)  # UTC by default
    assert hit(cond("weekday", "eq", 2), FACTS)
    assert hit(cond("time", "between", ["22:00", "06:00"]), FACTS, ctx=ny)  # across midnight
    assert not hit(cond("time", "between", ["09:00", "17:00"]), FACTS, ctx=ny)
    assert hit(cond("time", "between", ["09:00", "17:00"]), FACTS)


def test_business_hours_come_from_the_calendar():
    cal = Calendar.from_config({"timezone": "Europe/London", "hours": {"wed": [["09:00", "17:00"]]}})
    ctx = Context(now=NOW, tz=cal.tz, is_open=cal.is_open)
    assert hit(cond("business_hours", "is", True), FACTS, ctx=ctx)
    late = datetime(2026, 11, 4, 20, 0, tzinfo=UTC)
    assert hit(cond("business_hours", "is", False), FACTS, now=late, ctx=ctx)


def test_actions_accumulate_in_order_and_first_single_value_wins():
    rules = [
        compile_rule({"conditions": cond("intent", "eq", "complaint"), "actions": [
            {"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"},
            {"type": "raise_priority", "to": 60}, {"type": "assign", "to": "auto"}]}, 1),
        compile_rule({"conditions": {}, "actions": [
            {"type": "set_team", "team": "care"}, {"type": "add_tag", "tag": "refund"},
            {"type": "add_tag", "tag": "angry"}, {"type": "raise_priority", "to": 40},
            {"type": "acknowledge", "text": "Thanks, we're on it."},
            {"type": "notify", "to": "team:billing", "message": "refund"},
            {"type": "escalate", "to": "role:supervisor", "message": "angry"},
            {"type": "mark_spam"}, {"type": "hide"}, {"type": "assign", "to": "cara"}]}, 2),
    ]
    d = evaluate(FACTS, rules, NOW)
    assert d.matched == [1, 2]
    assert d.team == "billing" and d.assignee == "auto"
    assert d.tags == ["refund", "angry"]
    assert d.priority == 60
    assert d.acknowledge == "Thanks, we're on it."
    assert [n["escalate"] for n in d.notify] == [False, True]
    assert d.spam and d.hide
    assert d.as_dict()["matched"] == [1, 2]


def test_stop_processing_ends_evaluation():
    rules = [rule(cond("platform", "eq", "x"), [{"type": "set_team", "team": "care"}], stop=True, rid="a"),
             rule({}, [{"type": "add_tag", "tag": "later"}], rid="b")]
    d = evaluate(FACTS, rules, NOW)
    assert d.matched == ["a"] and d.tags == []
    # a stop rule that does not match does not stop anything
    d = evaluate(PostFacts(platform="facebook"), rules, NOW)
    assert d.matched == ["b"]


def test_no_rules_no_decision():
    d = evaluate(FACTS, [], NOW)
    assert d.empty and d.team is None and d.tags == []


def test_hostile_patterns_run_in_linear_time():
    # (a|a)*b and (a+)+$ take exponential time in a backtracking engine; RE2 answers at once.
    long_text = "a" * 4000 + "!"
    facts = PostFacts(text=long_text)
    for pattern in (r"(a|a)*b", r"(a+)+$", r"(a|aa)*c"):
        assert not hit(cond("text", "matches", pattern), facts)
    assert hit(cond("text", "matches", r"(.*a){20}!"), facts)


def test_texts_are_capped_before_matching():
    facts = PostFacts(text="x" * 10000 + " refund")
    assert not hit(cond("text", "keywords", ["refund"]), facts)


@pytest.mark.parametrize("raw, message", [
    ("nope", "a rule is an object"),
    ({"conditions": {}, "actions": []}, "at least one action"),
    ({"conditions": {"none": []}, "actions": [{"type": "hide"}]}, "conditions are"),
    ({"conditions": cond("colour", "eq", "red"), "actions": [{"type": "hide"}]}, "unknown field"),
    ({"conditions": cond("severity", "keywords", ["x"]), "actions": [{"type": "hide"}]}, "does not apply"),
    ({"conditions": cond("severity", "gte", "3"), "actions": [{"type": "hide"}]}, "must be a number"),
    ({"conditions": cond("severity", "between", [1]), "actions": [{"type": "hide"}]}, r"\[low, high\]"),
    ({"conditions": cond("vip", "is", "yes"), "actions": [{"type": "hide"}]}, "true or false"),
    ({"conditions": cond("text", "matches", r"(a)\1"), "actions": [{"type": "hide"}]}, "not valid"),
    ({"conditions": cond("text", "matches", r"(?=a)"), "actions": [{"type": "hide"}]}, "not valid"),
    ({"conditions": cond("text", "matches", "a" * 400), "actions": [{"type": "hide"}]}, "at most"),
    ({"conditions": cond("text", "keywords", []), "actions": [{"type": "hide"}]}, "non-empty"),
    ({"conditions": cond("text", "keywords", ["ok", ""]), "actions": [{"type": "hide"}]}, "non-empty"),
    ({"conditions": cond("time", "between", ["9", "17:00"]), "actions": [{"type": "hide"}]}, "HH:MM"),
    ({"conditions": {}, "actions": [{"type": "explode"}]}, "unknown action"),
    ({"conditions": {}, "actions": [{"type": "raise_priority", "to": 101}]}, "0 to 100"),
    ({"conditions": {}, "actions": [{"type": "raise_priority", "to": True}]}, "0 to 100"),
    ({"conditions": {}, "actions": [{"type": "set_team"}]}, "team slug"),
    ({"conditions": {}, "actions": [{"type": "add_tag", "tag": " "}]}, "tag name"),
    ({"conditions": {}, "actions": [{"type": "assign"}]}, "username"),
    ({"conditions": {}, "actions": [{"type": "acknowledge", "text": ""}]}, "acknowledge needs"),
    ({"conditions": {}, "actions": [{"type": "notify"}]}, "notify needs"),
    ({"conditions": {"all": [{"field": "platform", "op": "eq", "value": "x"}] * 60},
      "actions": [{"type": "hide"}]}, "at most 50"),
])
def test_bad_rules_are_refused_with_a_reason(raw, message):
    with pytest.raises(RuleError, match=message):
        compile_rule(raw)


def test_preview_reports_only_what_the_rule_would_match():
    r = rule(cond("text", "keywords", ["refund"]), [{"type": "set_team", "team": "billing"}])
    posts = [(PostFacts(text="refund please", post_id=1), NOW), (PostFacts(text="love it", post_id=2), NOW),
             (PostFacts(text="REFUND!", post_id=3), NOW)]
    out = preview(r, posts, Context(now=NOW))
    assert [f.post_id for f, _ in out] == [1, 3]
    assert all(d.team == "billing" for _, d in out)
