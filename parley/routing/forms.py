"""The rule editor's form: name, position, flags, and the rule either as builder rows or as JSON.

The builder is the default; the JSON ("advanced") is regenerated from the builder on every
round trip, and "Load into builder" goes the other way. Both end in the same checks
(builder.check or compile_rule through actions.save_rule).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import builder
from .builder import ActionRow, ConditionRow
from .rules import RuleError, compile_rule

MAX_JSON = 50_000
EXAMPLE_CONDITIONS = {"all": [{"field": "text", "op": "keywords", "value": ["refund", "charged twice"]}], "any": []}
EXAMPLE_ACTIONS = [{"type": "set_team", "team": "billing"}, {"type": "add_tag", "tag": "refund"}]
STEPS = ("save", "save_json", "preview", "preview_json", "refresh", "add_condition", "add_action", "load_json")


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@dataclass
class RuleForm:
    name: str = ""
    position: str = "0"
    stop: bool = False
    enabled: bool = True
    conditions: list[ConditionRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    conditions_json: str = ""
    actions_json: str = ""
    source: str = "builder"  # where the rule is read from: builder or json

    @classmethod
    def for_rule(cls, rule=None, position: int = 0) -> "RuleForm":
        if rule is None:
            conditions, actions = EXAMPLE_CONDITIONS, EXAMPLE_ACTIONS
            form = cls(position=str(position))
        else:
            conditions, actions = rule.conditions, rule.actions
            form = cls(name=rule.name, position=str(rule.position), stop=rule.stop, enabled=rule.enabled)
        form.conditions, form.actions = builder.to_rows(conditions, actions)
        form.conditions_json, form.actions_json = pretty(conditions or {}), pretty(actions or [])
        return form

    @classmethod
    def from_post(cls, post, step: str = "save") -> "RuleForm":
        conditions, actions = builder.rows_from_form(post)
        # Without builder rows (a client that posts the JSON fields only) the JSON is the rule.
        json_step = step in ("save_json", "preview_json", "load_json") or "json" in post.getlist("source") or (
            not post.get("source") and not conditions and not actions)
        return cls(
            name=post.get("name", ""), position=post.get("position", "0"), stop=post.get("stop") == "on",
            enabled=post.get("enabled") == "on", conditions=conditions, actions=actions,
            conditions_json=post.get("conditions", ""), actions_json=post.get("actions", ""),
            source="json" if json_step else "builder",
        )

    # --- reading -------------------------------------------------------------------------

    def _json(self) -> tuple[dict | None, list | None, list[str]]:
        errors, parsed = [], {}
        for name, raw, empty in (("conditions", self.conditions_json, "{}"), ("actions", self.actions_json, "[]")):
            if len(raw) > MAX_JSON:
                errors.append(f"{name.title()} is longer than {MAX_JSON:,} characters")
                continue
            try:
                parsed[name] = json.loads(raw or empty)
            except json.JSONDecodeError as exc:
                errors.append(f"{name.title()} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        return parsed.get("conditions"), parsed.get("actions"), errors

    def rule(self) -> tuple[dict, list[str]]:
        """The rule this form describes (as actions.save_rule takes it) and what is wrong with it."""
        errors = []
        try:
            position = int(self.position or 0)
        except ValueError:
            errors.append("Position is a whole number")
            position = 0
        if self.source == "json":
            conditions, actions, more = self._json()
        else:
            conditions, actions, more = builder.check(self.conditions, self.actions)
            if not more:
                self.conditions_json, self.actions_json = pretty(conditions), pretty(actions)
        errors += more
        data = {"name": self.name, "position": position, "stop": self.stop, "enabled": self.enabled,
                "conditions": conditions, "actions": actions}
        if not errors:
            try:
                compile_rule(data)
            except RuleError as exc:
                errors.append(str(exc))
        return data, errors

    # --- builder steps -------------------------------------------------------------------

    def apply(self, step: str) -> list[str]:
        """Change the rows as a builder button asks (add, remove, load the JSON). Returns errors."""
        if step == "add_condition" and len(self.conditions) < builder.MAX_ROWS:
            self.conditions.append(ConditionRow(field="intent", op="eq", value="complaint"))
        elif step == "add_action" and len(self.actions) < builder.MAX_ROWS:
            self.actions.append(ActionRow(type="add_tag"))
        elif step.startswith("remove-c-") and step[9:].isdigit() and int(step[9:]) < len(self.conditions):
            del self.conditions[int(step[9:])]
        elif step.startswith("remove-a-") and step[9:].isdigit() and int(step[9:]) < len(self.actions):
            del self.actions[int(step[9:])]
        elif step == "load_json":
            conditions, actions, errors = self._json()
            if errors:
                return errors
            try:
                compile_rule({"conditions": conditions, "actions": actions or [{"type": "hide"}]})
            except RuleError as exc:
                return [f"The JSON cannot be loaded: {exc}"]
            self.conditions, self.actions = builder.to_rows(conditions, actions)
            self.source = "builder"
            return []
        if self.source == "builder":  # keep the advanced view in step; say nothing until save or preview
            conditions, actions, errors = builder.check(self.conditions, self.actions)
            if not errors:
                self.conditions_json, self.actions_json = pretty(conditions), pretty(actions)
            for row in (*self.conditions, *self.actions):
                row.error = ""
        return []
