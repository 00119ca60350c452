"""Suggestions for a reply (pure): ranked and personalised, every one checked by the guardrails.

Sources, in the order they usually rank:
- a clarifying question when the customer's desired outcome is unclear;
- de-escalation for a troll; an offer of a phone call when anger is high;
- the brand's templates that fit the situation (team, channel, visibility, intent, outcome);
- replies agents gave to the most similar past posts (retrieval.ReplyIndex), with the old
  customer's handle and name swapped for this customer's, near-duplicates merged.
A suggestion whose text the guardrails block is dropped; warnings are kept with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..guardrails import Context, Finding, blocking, check
from .retrieval import Hit

OUTCOME_WORDS = {
    "refund": "a refund", "replacement": "a replacement", "repair": "a repair", "return": "to return it",
    "cancellation": "to cancel", "delivery": "the delivery sorted", "account_access": "access to your account back",
    "information": "some information", "apology": "an apology",
}
ANGER_CALL = 0.7
# Past posts less similar than this are not suggested from (cosine of TF-IDF vectors). Chosen
# from the coverage/precision table in docs/composer.md (IBM dev conversations).
SIMILARITY_FLOOR = 0.1
_LEADING_MENTIONS = re.compile(r"^(?:@\w+[\s,]*)+")
_SIGNATURE = re.compile(r"\s*(?:\^|/|-|\*)\s?[A-Z]{1,3}\s*$")


@dataclass
class Suggestion:
    kind: str  # clarify | deescalate | call | template | history | draft
    text: str
    score: float
    reason: str
    source_id: int | None = None
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "score": round(self.score, 3), "reason": self.reason,
                "source_id": self.source_id, "findings": [f.as_dict() for f in self.findings]}


@dataclass(frozen=True)
class Situation:
    customer_first_name: str = ""
    agent_first_name: str = ""
    intent: str = ""
    desired_outcome: str = ""
    outcome_unclear: bool = False
    troll: bool = False
    anger: float = 0.0


def _hi(name: str) -> str:
    return f"Hi {name}, " if name else "Hi, "


def rule_based(s: Situation) -> list[Suggestion]:
    out = []
    if s.troll:
        out.append(Suggestion(
            "deescalate",
            f"We hear you{', ' + s.customer_first_name if s.customer_first_name else ''}. If there's something we can "
            "help with, we're here in DM.",
            0.95, "Triage marked this as a troll: answer once, briefly and kindly, then let it go."))
        return out
    if s.anger >= ANGER_CALL and s.intent in ("complaint", "request", "question", ""):
        out.append(Suggestion(
            "call",
            f"{_hi(s.customer_first_name)}I'm really sorry about this. It deserves a proper conversation: could we "
            "give you a call? Send us a DM with a good time to reach you.",
            0.9, "Anger is high: a phone call calms more than a thread of replies."))
    if s.intent in ("complaint", "request", "question") and (s.outcome_unclear or not s.desired_outcome
                                                              or s.desired_outcome == "none"):
        out.append(Suggestion(
            "clarify",
            f"{_hi(s.customer_first_name)}I'm sorry to hear that. So we can put it right, what would help most: "
            "a refund, a replacement, or something else? Send us a DM and we'll take it from there.",
            0.85, "The desired outcome is unclear: ask early."))
    return out


def personalise(reply: str, old_name: str, new_name: str) -> str:
    text = _LEADING_MENTIONS.sub("", reply).strip()
    text = _SIGNATURE.sub("", text).strip()
    if old_name and old_name != new_name:
        pattern = re.compile(rf"\b{re.escape(old_name)}\b")
        text = pattern.sub(new_name or "there", text) if new_name else pattern.sub("there", text)
    elif new_name and not re.search(rf"\b{re.escape(new_name)}\b", text):
        text = _hi(new_name) + text[:1].lower() + text[1:] if text else text
    return text


def from_history(hits: list[Hit], s: Situation, limit: int = 3, floor: float | None = None) -> list[Suggestion]:
    """Past replies, grouped when near-identical; a group scores the sum of its similarities.

    An answer agents gave to several similar posts outranks one given once to a slightly more
    similar post (a vote of the nearest neighbours; docs/composer.md has the measurement).
    """
    groups: list[Suggestion] = []
    for hit in hits:
        if hit.similarity < (SIMILARITY_FLOOR if floor is None else floor):
            continue
        text = personalise(hit.pair.reply, hit.pair.customer_first_name, s.customer_first_name)
        if len(text) < 15:
            continue
        weight = hit.similarity * (1.1 if hit.pair.resolved else 1.0)
        twin = next((g for g in groups if fuzz.ratio(g.text, text, score_cutoff=90)), None)
        if twin is not None:
            twin.score += weight
            continue
        groups.append(Suggestion("history", text, weight, f"An agent's reply to a similar post ({hit.similarity:.0%} alike).",
                                 hit.pair.conversation_id))
    for g in groups:
        g.score = min(g.score, 0.99)  # above every rule-based suggestion only when it is very well supported
    return sorted(groups, key=lambda o: -o.score)[:limit]


def from_templates(rendered: list[tuple[int, str, int]], limit: int = 2) -> list[Suggestion]:
    """`rendered`: (template id, text, specificity) of the templates that fit, best first."""
    return [Suggestion("template", text, 0.6 + 0.08 * specificity, "A template for this situation.", tid)
            for tid, text, specificity in rendered[:limit]]


def suggest(s: Situation, hits: list[Hit], rendered_templates: list[tuple[int, str, int]], context: Context,
            limit: int = 5, extra: list[Suggestion] = ()) -> list[Suggestion]:
    candidates = rule_based(s) + from_templates(rendered_templates) + from_history(hits, s) + list(extra)
    out = []
    for c in sorted(candidates, key=lambda c: -c.score):
        findings = check(c.text, context)
        if blocking(findings):
            continue
        c.findings = [f for f in findings if f.level != "info"]
        out.append(c)
        if len(out) >= limit:
            break
    return out
