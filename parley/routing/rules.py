"""Routing rules: validation, compilation and the pure evaluator.

A rule is JSON an admin writes::

    {"name": "Refunds to billing",
     "conditions": {"all": [{"field": "intent", "op": "in", "value": ["refund", "billing"]},
                            {"field": "text", "op": "keywords", "value": ["refund", "charged twice"]}],
                    "any": []},
     "actions": [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"}],
     "stop": true}

`compile_rule` validates it once (unknown fields, operators, actions and bad
values raise RuleError with a readable message) and precompiles keywords and
patterns. Patterns run on RE2 (google-re2), whose matching time is linear in
the text, so an admin's pattern can never hang routing; texts are also capped
at MAX_TEXT characters. `evaluate(facts, rules, now)` is pure: it reads only
its arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

import re2

MAX_TEXT = 5000
MAX_PATTERN = 300
MAX_KEYWORDS = 200
MAX_CONDITIONS = 50
MAX_ACTIONS = 20


class RuleError(ValueError):
    """A rule that cannot be compiled; the message says what to fix."""


@dataclass(frozen=True)
class PostFacts:
    """What routing may know about one inbound post (built from stored rows, or by tests)."""

    text: str = ""
    platform: str = ""
    channel: str = ""  # the channel account's handle or id
    kind: str = "mention"  # Post.Kind
    visibility: str = "public"  # public / private
    language: str = ""
    created_at: datetime | None = None
    vip: bool = False
    followers: int = 0
    verified: bool = False
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    # PostTriage fields by name (intent, sentiment, severity, anger, troll, topics, ...); may be empty.
    triage: dict = field(default_factory=dict)
    post_id: int | None = None


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the post: the time and the brand's business hours."""

    now: datetime
    tz: ZoneInfo = ZoneInfo("UTC")
    # A function telling whether the brand is open at an instant (sla.calendar.Calendar.is_open).
    is_open: Callable[[datetime], bool] | None = None


@dataclass
class Decision:
    """What the matching rules ask for. Single values: the first rule that sets one wins."""

    team: str | None = None
    assignee: str | None = None  # a username, or "auto" for automatic assignment
    priority: int | None = None  # raise to at least this
    tags: list[str] = field(default_factory=list)
    acknowledge: str | None = None  # text of the auto-acknowledgement
    notify: list[dict] = field(default_factory=list)  # {"to": ..., "message": ..., "escalate": bool}
    spam: bool = False
    hide: bool = False
    matched: list[int | str] = field(default_factory=list)  # ids (or names) of the rules that matched

    @property
    def empty(self) -> bool:
        return not self.matched

    def as_dict(self) -> dict:
        return {
            "team": self.team, "assignee": self.assignee, "priority": self.priority, "tags": list(self.tags),
            "acknowledge": self.acknowledge, "notify": list(self.notify), "spam": self.spam,
            "hide": self.hide, "matched": list(self.matched),
        }


# --- fields -----------------------------------------------------------------------------

TRIAGE_TEXT_FIELDS = ("intent", "sentiment", "emotion", "desired_outcome", "language_detected")
TRIAGE_NUMBER_FIELDS = ("complaint", "severity", "anger", "offensive", "hate", "troll", "needs_response",
                        "priority")
TRIAGE_BOOL_FIELDS = ("outcome_unclear",)
TRIAGE_LIST_FIELDS = ("topics", "private_data_posted")

POST_TEXT_FIELDS = ("platform", "channel", "kind", "visibility", "language")
POST_NUMBER_FIELDS = ("followers", "likes", "reposts", "replies", "reach")
POST_BOOL_FIELDS = ("vip", "verified", "public", "business_hours")
TIME_NUMBER_FIELDS = ("hour", "weekday")  # local hour 0-23, weekday 0 (Monday) - 6
TIME_CLOCK_FIELDS = ("time",)  # local "HH:MM"

TEXT_FIELDS = set(TRIAGE_TEXT_FIELDS) | set(POST_TEXT_FIELDS)
NUMBER_FIELDS = set(TRIAGE_NUMBER_FIELDS) | set(POST_NUMBER_FIELDS) | set(TIME_NUMBER_FIELDS)
BOOL_FIELDS = set(TRIAGE_BOOL_FIELDS) | set(POST_BOOL_FIELDS)
LIST_FIELDS = set(TRIAGE_LIST_FIELDS)
ALL_FIELDS = TEXT_FIELDS | NUMBER_FIELDS | BOOL_FIELDS | LIST_FIELDS | set(TIME_CLOCK_FIELDS) | {"text"}

OPS = {
    "text": {"keywords", "all_keywords", "not_keywords", "matches", "not_matches", "empty"},
    "str": {"eq", "ne", "in", "not_in", "empty"},
    "num": {"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "empty"},
    "bool": {"is"},
    "list": {"contains", "contains_any", "not_contains", "empty"},
    "clock": {"between"},
}


def _kind(name: str) -> str:
    if name == "text":
        return "text"
    if name in TEXT_FIELDS:
        return "str"
    if name in NUMBER_FIELDS:
        return "num"
    if name in BOOL_FIELDS:
        return "bool"
    if name in LIST_FIELDS:
        return "list"
    return "clock"


def _local(ctx: Context, facts: PostFacts) -> datetime:
    return ctx.now.astimezone(ctx.tz)


def field_value(name: str, facts: PostFacts, ctx: Context) -> Any:
    """The value of field `name` for this post (None when unknown)."""
    if name == "text":
        return facts.text[:MAX_TEXT]
    if name in POST_TEXT_FIELDS or name in ("followers", "likes", "reposts", "replies", "vip", "verified"):
        return getattr(facts, name)
    if name == "reach":
        return facts.followers + facts.likes + facts.reposts + facts.replies
    if name == "public":
        return facts.visibility == "public"
    if name == "business_hours":
        return ctx.is_open(ctx.now) if ctx.is_open is not None else True
    if name == "hour":
        return _local(ctx, facts).hour
    if name == "weekday":
        return _local(ctx, facts).weekday()
    if name == "time":
        return _local(ctx, facts).time()
    if name == "language_detected":
        return facts.triage.get("language")
    return facts.triage.get(name)


# --- compiling ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class CompiledRule:
    id: int | str
    name: str
    all: tuple[Condition, ...]
    any: tuple[Condition, ...]
    actions: tuple[dict, ...]
    stop: bool


def _words_pattern(words: Iterable[str]) -> re.Pattern:
    """Whole-word, case-insensitive alternation of literal words and phrases (escaped: no regex)."""
    parts = sorted({" ".join(w.lower().split()) for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _keyword_list(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise RuleError("keywords need a non-empty list of words or phrases")
    if len(value) > MAX_KEYWORDS:
        raise RuleError(f"at most {MAX_KEYWORDS} keywords in one condition")
    words = []
    for word in value:
        if not isinstance(word, str) or not word.strip():
            raise RuleError("every keyword must be a non-empty text")
        if len(word) > 100:
            raise RuleError("a keyword is at most 100 characters")
        words.append(word.strip())
    return words


def _regex(value) -> "re2._Regexp":
    if not isinstance(value, str) or not value:
        raise RuleError("a pattern must be a non-empty text")
    if len(value) > MAX_PATTERN:
        raise RuleError(f"a pattern is at most {MAX_PATTERN} characters")
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 1 << 20
    try:
        return re2.compile(value, options)
    except re2.error as exc:
        raise RuleError(f"pattern {value!r} is not valid (RE2 syntax, no backreferences or lookaround): {exc}") from None


def _number(value, what="value") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{what} must be a number")
    return float(value)


def _clock(value) -> time:
    try:
        hour, minute = str(value).split(":")
        return time(int(hour), int(minute))
    except (ValueError, TypeError):
        raise RuleError(f"{value!r} is not a time of day (HH:MM)") from None


def _text_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise RuleError("value must be a text or a non-empty list of texts")
    return value


def _norm(v) -> str:
    return str(v or "").strip().lower()


def compile_condition(raw) -> Condition:
    if not isinstance(raw, dict):
        raise RuleError("a condition is an object with field, op and value")
    name, op, value = raw.get("field"), raw.get("op"), raw.get("value")
    if name not in ALL_FIELDS:
        raise RuleError(f"unknown field {name!r}; known: {', '.join(sorted(ALL_FIELDS))}")
    kind = _kind(name)
    if op not in OPS[kind]:
        raise RuleError(f"operator {op!r} does not apply to {name}; use one of {', '.join(sorted(OPS[kind]))}")
    test = _make_test(kind, op, value)
    return Condition(name, op, test)


def _make_test(kind: str, op: str, value) -> Callable[[Any], bool]:  # noqa: C901 - one branch per operator
    if op == "empty":
        want = value is not False
        return lambda v: (v in (None, "", [], {})) == want
    if kind == "text":
        if op in ("keywords", "all_keywords", "not_keywords"):
            words = _keyword_list(value)
            if op == "all_keywords":
                patterns = [_words_pattern([w]) for w in words]
                return lambda v: all(p.search(v or "") for p in patterns)
            pattern = _words_pattern(words)
            if op == "keywords":
                return lambda v: pattern.search(v or "") is not None
            return lambda v: pattern.search(v or "") is None
        regex = _regex(value)
        if op == "matches":
            return lambda v: regex.search(v or "") is not None
        return lambda v: regex.search(v or "") is None
    if kind == "str":
        if op in ("eq", "ne"):
            if not isinstance(value, str):
                raise RuleError(f"{op} needs a text value")
            want = _norm(value)
            return (lambda v: _norm(v) == want) if op == "eq" else (lambda v: _norm(v) != want)
        options = {_norm(v) for v in _text_list(value)}
        return (lambda v: _norm(v) in options) if op == "in" else (lambda v: _norm(v) not in options)
    if kind == "num":
        if op == "between":
            if not isinstance(value, list) or len(value) != 2:
                raise RuleError("between needs [low, high]")
            low, high = _number(value[0], "low"), _number(value[1], "high")
            return lambda v: v is not None and low <= v <= high
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                raise RuleError(f"{op} needs a non-empty list of numbers")
            numbers = {_number(v) for v in value}
            if op == "in":
                return lambda v: v is not None and not isinstance(v, (str, list, dict)) and v in numbers
            return lambda v: v is None or isinstance(v, (str, list, dict)) or v not in numbers
        n = _number(value)
        compare = {
            "eq": lambda v: v == n, "ne": lambda v: v != n, "gt": lambda v: v > n,
            "gte": lambda v: v >= n, "lt": lambda v: v < n, "lte": lambda v: v <= n,
        }[op]
        return lambda v: v is not None and not isinstance(v, (str, list, dict)) and compare(v)
    if kind == "bool":
        if not isinstance(value, bool):
            raise RuleError("is needs true or false")
        return lambda v: bool(v) == value
    if kind == "list":
        options = {_norm(v) for v in _text_list(value)}
        if op == "contains":
            return lambda v: options <= {_norm(x) for x in (v or [])}
        if op == "contains_any":
            return lambda v: bool(options & {_norm(x) for x in (v or [])})
        return lambda v: not options & {_norm(x) for x in (v or [])}
    # clock
    if not isinstance(value, list) or len(value) != 2:
        raise RuleError('time between needs ["HH:MM", "HH:MM"]')
    start, end = _clock(value[0]), _clock(value[1])
    if start <= end:
        return lambda v: start <= v < end
    return lambda v: v >= start or v < end  # across midnight


def _action(raw) -> dict:
    if not isinstance(raw, dict):
        raise RuleError("an action is an object with a type")
    kind = raw.get("type")
    if kind == "set_team":
        team = raw.get("team")
        if not isinstance(team, str) or not team.strip():
            raise RuleError("set_team needs a team slug")
        return {"type": kind, "team": team.strip()}
    if kind == "add_tag":
        tag = " ".join(str(raw.get("tag") or "").split())
        if not tag or len(tag) > 60:
            raise RuleError("add_tag needs a tag name of 1 to 60 characters")
        return {"type": kind, "tag": tag}
    if kind == "raise_priority":
        to = raw.get("to")
        if isinstance(to, bool) or not isinstance(to, int) or not 0 <= to <= 100:
            raise RuleError("raise_priority needs to: a whole number from 0 to 100")
        return {"type": kind, "to": to}
    if kind == "assign":
        to = raw.get("to")
        if not isinstance(to, str) or not to.strip():
            raise RuleError('assign needs to: a username, or "auto"')
        return {"type": kind, "to": to.strip()}
    if kind == "acknowledge":
        text = str(raw.get("text") or "").strip()
        if not text or len(text) > 1000:
            raise RuleError("acknowledge needs a text of 1 to 1,000 characters")
        return {"type": kind, "text": text}
    if kind in ("notify", "escalate"):
        to = raw.get("to")
        if not isinstance(to, str) or not to.strip():
            raise RuleError(f'{kind} needs to: a username, "team:<slug>" or "role:<role>"')
        message = str(raw.get("message") or "")[:500]
        return {"type": kind, "to": to.strip(), "message": message}
    if kind in ("mark_spam", "hide"):
        return {"type": kind}
    raise RuleError(
        f"unknown action {kind!r}; known: set_team, add_tag, raise_priority, assign, acknowledge, notify, "
        "escalate, mark_spam, hide"
    )


def compile_rule(raw: dict, rule_id: int | str | None = None) -> CompiledRule:
    """Validate and compile one rule (conditions {"all": [...], "any": [...]} or a plain list = all)."""
    if not isinstance(raw, dict):
        raise RuleError("a rule is an object")
    conditions = raw.get("conditions") or {}
    if isinstance(conditions, list):
        conditions = {"all": conditions}
    if not isinstance(conditions, dict) or set(conditions) - {"all", "any"}:
        raise RuleError('conditions are {"all": [...], "any": [...]}')
    all_raw, any_raw = conditions.get("all") or [], conditions.get("any") or []
    if not isinstance(all_raw, list) or not isinstance(any_raw, list):
        raise RuleError("all and any are lists of conditions")
    if len(all_raw) + len(any_raw) > MAX_CONDITIONS:
        raise RuleError(f"at most {MAX_CONDITIONS} conditions in one rule")
    actions = raw.get("actions") or []
    if not isinstance(actions, list) or not actions:
        raise RuleError("a rule needs at least one action")
    if len(actions) > MAX_ACTIONS:
        raise RuleError(f"at most {MAX_ACTIONS} actions in one rule")
    return CompiledRule(
        id=rule_id if rule_id is not None else raw.get("id", raw.get("name", "")),
        name=str(raw.get("name") or ""),
        all=tuple(compile_condition(c) for c in all_raw),
        any=tuple(compile_condition(c) for c in any_raw),
        actions=tuple(_action(a) for a in actions),
        stop=bool(raw.get("stop", False)),
    )


# --- evaluating ---------------------------------------------------------------------------


def matches(rule: CompiledRule, facts: PostFacts, ctx: Context) -> bool:
    values: dict[str, Any] = {}

    def holds(condition: Condition) -> bool:
        if condition.field not in values:
            values[condition.field] = field_value(condition.field, facts, ctx)
        return condition.test(values[condition.field])

    if not all(holds(c) for c in rule.all):
        return False
    return not rule.any or any(holds(c) for c in rule.any)


def apply_actions(decision: Decision, rule: CompiledRule) -> None:
    for action in rule.actions:
        kind = action["type"]
        if kind == "set_team" and decision.team is None:
            decision.team = action["team"]
        elif kind == "assign" and decision.assignee is None:
            decision.assignee = action["to"]
        elif kind == "add_tag" and action["tag"] not in decision.tags:
            decision.tags.append(action["tag"])
        elif kind == "raise_priority":
            decision.priority = max(decision.priority or 0, action["to"])
        elif kind == "acknowledge" and decision.acknowledge is None:
            decision.acknowledge = action["text"]
        elif kind in ("notify", "escalate"):
            decision.notify.append(
                {"to": action["to"], "message": action["message"], "escalate": kind == "escalate", "rule": rule.id}
            )
        elif kind == "mark_spam":
            decision.spam = True
        elif kind == "hide":
            decision.hide = True


def evaluate(facts: PostFacts, rules: Iterable[CompiledRule], now: datetime, ctx: Context | None = None) -> Decision:
    """Run the ordered rules over one post. Pure: the result depends on the arguments only."""
    ctx = ctx or Context(now=now)
    if ctx.now != now:
        ctx = Context(now=now, tz=ctx.tz, is_open=ctx.is_open)
    decision = Decision()
    for rule in rules:
        if matches(rule, facts, ctx):
            decision.matched.append(rule.id)
            apply_actions(decision, rule)
            if rule.stop:
                break
    return decision


def preview(rule: CompiledRule, posts: Iterable[tuple[PostFacts, datetime]], ctx: Context) -> list[tuple[PostFacts, Decision]]:
    """What `rule` alone would have decided for each (facts, arrival time): the matches only."""
    out = []
    for facts, at in posts:
        decision = evaluate(facts, [rule], at, ctx)
        if not decision.empty:
            out.append((facts, decision))
    return out
