"""The rules editor's form builder: rules as rows of field → operator → value, and back.

A rule's JSON (rules.py) is what is stored and evaluated; the builder is another way to
write it. `to_rows` turns a rule's conditions and actions into rows the page renders,
`from_form` turns a submitted form back into conditions and actions, and every rule that
`compile_rule` accepts survives the trip (tests/workflow/test_builder.py). Validation stays
in one place: `check` compiles the result with the evaluator's own schema and names the
row at fault. Pure: no database; the page passes in the brand's teams and agents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from parley.inbox.models import Post
from parley.platforms.models import Platform
from parley.triage.labels import EMOTIONS, INTENTS, OUTCOMES, SENTIMENTS

from . import rules
from .rules import RuleError

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_ROWS = rules.MAX_CONDITIONS

# What each field is called on the page, in the order of the field menu.
FIELD_LABELS = {
    "text": "Text of the post", "intent": "Intent", "sentiment": "Sentiment", "emotion": "Emotion",
    "desired_outcome": "Desired outcome", "severity": "Complaint severity (0-4)", "anger": "Anger (0-1)",
    "complaint": "Complaint score (0-1)", "troll": "Troll score (0-1)", "offensive": "Offensive score (0-1)",
    "hate": "Hate score (0-1)", "needs_response": "Needs a response (0-1)", "priority": "Triage priority (0-100)",
    "outcome_unclear": "Outcome unclear", "topics": "Topics", "private_data_posted": "Private data posted",
    "language_detected": "Language (detected)", "platform": "Platform", "channel": "Channel handle",
    "kind": "Kind of post", "visibility": "Visibility", "language": "Language (from the platform)",
    "vip": "Customer is VIP", "verified": "Author is verified", "public": "Post is public",
    "followers": "Followers", "likes": "Likes", "reposts": "Reposts", "replies": "Replies",
    "reach": "Reach (followers + engagement)", "business_hours": "Within business hours",
    "weekday": "Day of the week", "hour": "Hour of the day (0-23)", "time": "Time of day",
}
assert set(FIELD_LABELS) == rules.ALL_FIELDS, set(FIELD_LABELS) ^ rules.ALL_FIELDS

CHOICES = {
    "intent": INTENTS, "sentiment": SENTIMENTS, "emotion": EMOTIONS, "desired_outcome": OUTCOMES,
    "platform": tuple(Platform.values), "kind": tuple(Post.Kind.values), "visibility": ("public", "private"),
}

OP_LABELS = {
    "keywords": "has any of the words", "all_keywords": "has all of the words", "not_keywords": "has none of the words",
    "matches": "matches the pattern", "not_matches": "does not match the pattern",
    "eq": "is", "ne": "is not", "in": "is one of", "not_in": "is none of",
    "gt": "is more than", "gte": "is at least", "lt": "is less than", "lte": "is at most", "between": "is between",
    "is": "is", "contains": "contains all of", "contains_any": "contains any of", "not_contains": "contains none of",
    "empty": "is empty (unknown)", "not_empty": "is not empty",
}
OP_ORDER = list(OP_LABELS)

ACTION_LABELS = {
    "set_team": "Send to team", "add_tag": "Add tag", "raise_priority": "Raise priority to at least",
    "assign": "Assign to", "acknowledge": "Send an acknowledgement", "notify": "Notify",
    "escalate": "Escalate to", "mark_spam": "Mark as spam", "hide": "Ask to hide the post",
}


def operators(name: str) -> list[tuple[str, str]]:
    """(op, label) that apply to field `name`; "empty" also offers its negation, not_empty."""
    ops = set(rules.OPS[rules._kind(name)])
    if "empty" in ops:
        ops.add("not_empty")
    return [(op, OP_LABELS[op]) for op in OP_ORDER if op in ops]


def widget(name: str, op: str) -> str:
    """Which value input a (field, operator) row shows."""
    kind = rules._kind(name)
    if op in ("empty", "not_empty"):
        return "none"
    if kind == "text":
        return "words" if "keywords" in op else "pattern"
    if kind == "bool":
        return "bool"
    if kind == "clock":
        return "clock_range"
    if kind == "list":
        return "words"
    if kind == "num":
        if name == "weekday":
            return "days" if op in ("in", "not_in") else "range_day" if op == "between" else "day"
        return "range" if op == "between" else "numbers" if op in ("in", "not_in") else "number"
    if name in CHOICES:
        return "choices" if op in ("in", "not_in") else "choice"
    return "words" if op in ("in", "not_in") else "text"


@dataclass
class ConditionRow:
    group: str = "all"  # all / any
    field: str = "text"
    op: str = "keywords"
    value: str = ""  # words (one per line), a number, a pattern, "true"/"false", a time
    value2: str = ""  # the upper bound of between
    picked: list[str] = dc_field(default_factory=list)  # chosen options (choices, days)
    error: str = ""

    @property
    def widget(self) -> str:
        return widget(self.field, self.op)

    @property
    def operators(self) -> list[tuple[str, str]]:
        return operators(self.field)

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.field == "weekday":
            return [(str(i), d) for i, d in enumerate(DAYS)]
        return [(c, c.replace("_", " ")) for c in CHOICES.get(self.field, ())]


@dataclass
class ActionRow:
    type: str = "set_team"
    value: str = ""  # team, tag, priority, user, "to", or the acknowledgement's text
    message: str = ""  # notify / escalate
    error: str = ""


# --- JSON → rows ---------------------------------------------------------------------------


def _words(value) -> str:
    return "\n".join(str(v) for v in (value if isinstance(value, list) else [value]))


def _num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def condition_row(raw: dict, group: str) -> ConditionRow:
    name, op, value = raw.get("field"), raw.get("op"), raw.get("value")
    row = ConditionRow(group=group, field=name, op=op)
    if op == "empty":
        row.op = "empty" if value is not False else "not_empty"
        return row
    shape = row.widget
    if shape in ("choices", "days"):
        row.picked = [str(v) if not isinstance(v, float) else _num(v) for v in (value if isinstance(value, list) else [value])]
    elif shape in ("range", "range_day", "clock_range"):
        row.value, row.value2 = (_num(value[0]), _num(value[1])) if shape != "clock_range" else (value[0], value[1])
    elif shape in ("words", "numbers"):
        row.value = _words([_num(v) for v in value] if shape == "numbers" else value)
    elif shape == "bool":
        row.value = "true" if value else "false"
    elif shape in ("number", "day"):
        row.value = _num(value)
    else:
        row.value = str(value)
    return row


def action_row(raw: dict) -> ActionRow:
    kind = raw.get("type")
    value = {"set_team": raw.get("team"), "add_tag": raw.get("tag"), "raise_priority": raw.get("to"),
             "assign": raw.get("to"), "acknowledge": raw.get("text"), "notify": raw.get("to"),
             "escalate": raw.get("to")}.get(kind, "")
    return ActionRow(type=kind, value="" if value is None else str(value), message=str(raw.get("message") or ""))


def to_rows(conditions, actions) -> tuple[list[ConditionRow], list[ActionRow]]:
    """The builder's rows for a rule's (valid) conditions and actions."""
    if isinstance(conditions, list):
        conditions = {"all": conditions}
    conditions = conditions or {}
    rows = [condition_row(c, "all") for c in conditions.get("all") or []]
    rows += [condition_row(c, "any") for c in conditions.get("any") or []]
    return rows, [action_row(a) for a in actions or []]


# --- form → JSON ---------------------------------------------------------------------------

_ROW = re.compile(r"^([ca])-(\d{1,3})-(?:type|field)$")


def _indices(form, prefix: str) -> list[int]:
    found = sorted({int(m.group(2)) for key in form.keys() if (m := _ROW.match(key)) and m.group(1) == prefix})
    return found[: MAX_ROWS]


def rows_from_form(form) -> tuple[list[ConditionRow], list[ActionRow]]:
    """The rows a submitted builder describes, as typed (nothing checked yet)."""
    conditions = []
    for i in _indices(form, "c"):
        name = form.get(f"c-{i}-field", "")
        row = ConditionRow(group="any" if form.get(f"c-{i}-group") == "any" else "all",
                           field=name if name in rules.ALL_FIELDS else "text", op=form.get(f"c-{i}-op", ""),
                           value=form.get(f"c-{i}-value", "").strip(), value2=form.get(f"c-{i}-value2", "").strip(),
                           picked=form.getlist(f"c-{i}-picked"))
        if row.op not in dict(row.operators):  # the field changed: its first operator
            row.op = row.operators[0][0]
        conditions.append(row)
    actions = [
        ActionRow(type=form.get(f"a-{i}-type", ""), value=form.get(f"a-{i}-value", "").strip(),
                  message=form.get(f"a-{i}-message", "").strip())
        for i in _indices(form, "a")
    ]
    return conditions, actions


def _split_words(text: str) -> list[str]:
    return [w.strip() for w in re.split(r"[\n,]", text) if w.strip()]


def _number(text: str, what: str = "a number"):
    try:
        value = float(text)
    except ValueError:
        raise RuleError(f"{text!r} is not a number" if text else f"enter {what}") from None
    return int(value) if value.is_integer() else value


def condition_json(row: ConditionRow) -> dict:
    """One row as the rule schema's condition (raises RuleError for what cannot be read)."""
    base = {"field": row.field, "op": "empty" if row.op == "not_empty" else row.op}
    shape = row.widget
    if shape == "none":
        return {**base, "value": row.op == "empty"}
    if shape == "choices":
        if not row.picked:
            raise RuleError("tick at least one option")
        return {**base, "value": list(row.picked)}
    if shape == "days":
        if not row.picked:
            raise RuleError("tick at least one day")
        return {**base, "value": [int(_number(d)) for d in row.picked]}
    if shape in ("range", "range_day"):
        return {**base, "value": [_number(row.value, "a low bound"), _number(row.value2, "a high bound")]}
    if shape == "clock_range":
        return {**base, "value": [row.value, row.value2]}
    if shape == "words":
        return {**base, "value": _split_words(row.value)}
    if shape == "numbers":
        return {**base, "value": [_number(w) for w in _split_words(row.value)]}
    if shape == "bool":
        return {**base, "value": row.value == "true"}
    if shape in ("number", "day"):
        return {**base, "value": _number(row.value)}
    return {**base, "value": row.value}


def action_json(row: ActionRow) -> dict:
    kind = row.type
    if kind == "set_team":
        return {"type": kind, "team": row.value}
    if kind == "add_tag":
        return {"type": kind, "tag": row.value}
    if kind == "raise_priority":
        try:
            return {"type": kind, "to": int(row.value)}
        except ValueError:
            raise RuleError("raise_priority needs to: a whole number from 0 to 100") from None
    if kind in ("assign",):
        return {"type": kind, "to": row.value}
    if kind == "acknowledge":
        return {"type": kind, "text": row.value}
    if kind in ("notify", "escalate"):
        return {"type": kind, "to": row.value, "message": row.message}
    return {"type": kind}


def check(conditions: list[ConditionRow], actions: list[ActionRow]) -> tuple[dict, list, list[str]]:
    """Conditions and actions JSON from the rows, validated by the evaluator's schema.

    Each row at fault gets its `error`; the returned messages name the row ("Condition 2: ...").
    """
    errors: list[str] = []
    out = {"all": [], "any": []}
    for n, row in enumerate(conditions, 1):
        try:
            raw = condition_json(row)
            rules.compile_condition(raw)
        except RuleError as exc:
            row.error = str(exc)
            errors.append(f"Condition {n} ({FIELD_LABELS.get(row.field, row.field)}): {exc}")
        else:
            out[row.group].append(raw)
    action_list = []
    for n, row in enumerate(actions, 1):
        try:
            raw = action_json(row)
            action_list.append(rules._action(raw))
        except RuleError as exc:
            row.error = str(exc)
            errors.append(f"Action {n} ({ACTION_LABELS.get(row.type, row.type)}): {exc}")
    if not actions:
        errors.append("Add at least one action")
    return out, action_list, errors


# --- reading a rule in a sentence ----------------------------------------------------------


def describe_condition(raw: dict) -> str:
    row = condition_row(raw, "all")
    label = FIELD_LABELS.get(row.field, row.field)
    shape = row.widget
    if shape == "none":
        return f"{label} {OP_LABELS[row.op]}"
    if shape in ("choices",):
        value = ", ".join(row.picked)
    elif shape == "days":
        value = ", ".join(DAYS[int(d)] for d in row.picked if d.isdigit() and int(d) < 7)
    elif shape in ("range", "range_day", "clock_range"):
        value = f"{row.value} and {row.value2}"
    elif shape in ("words", "numbers"):
        value = ", ".join(row.value.split("\n"))
    else:
        value = row.value
    return f"{label} {OP_LABELS[row.op]} {value}"


def describe(conditions, actions) -> dict:
    """{"all": [...], "any": [...], "actions": [...]} in words, for the rules list."""
    if isinstance(conditions, list):
        conditions = {"all": conditions}
    conditions = conditions or {}
    said = []
    for a in actions or []:
        row = action_row(a)
        said.append(f"{ACTION_LABELS.get(row.type, row.type)} {row.value}".strip())
    return {
        "all": [describe_condition(c) for c in conditions.get("all") or []],
        "any": [describe_condition(c) for c in conditions.get("any") or []],
        "actions": said,
    }
