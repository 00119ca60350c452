"""Triage as agents read it: compact badges, the correction menu's choices (pure; no queries).

The inbox templates render what these functions return; the thresholds that
decide when a probability becomes a warning live here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .labels import EMOTIONS, INTENTS, OUTCOMES, SENTIMENTS

# A probability at or above this shows as a warning badge.
WARN_AT = 0.5
# Anger at or above this shows as "angry" (very angry customers are better offered a call).
ANGRY_AT = 0.5

PRIVATE_KINDS = {
    "email": "email", "phone": "phone number", "order_number": "order number",
    "account_number": "account number", "address": "address", "card": "card number",
}
FIELD_LABELS = {
    "intent": "Intent", "sentiment": "Sentiment", "emotion": "Emotion", "desired_outcome": "Wants",
    "severity": "Severity", "complaint": "Complaint", "troll": "Troll", "offensive": "Offensive",
    "hate": "Hate speech",
}
# The yes/no fields are probabilities; a person's answer is stored as 1.0 or 0.0.
YES_NO = ("troll", "offensive")


@dataclass(frozen=True)
class Badge:
    kind: str  # a CSS hook: intent, sentiment, severity, anger, troll, offensive, outcome, language, ...
    text: str
    title: str = ""  # the longer reading, for the tooltip and screen readers
    level: str = ""  # "", "info", "warn" or "danger"; never the only signal (the text says it too)
    corrected: bool = False


@dataclass
class TriageView:
    """What the inbox shows about one post's triage."""

    status: str
    reason: str = ""
    badges: list[Badge] = field(default_factory=list)
    explanation: list[tuple[str, list[str]]] = field(default_factory=list)
    priority: int | None = None
    breakdown: list[dict] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)  # field -> who corrected it
    values: dict = field(default_factory=dict)  # current value per correctable field, for the menu

    def menu(self) -> list[dict]:
        """The correction menu: per field, its label, who corrected it, and its choices."""
        rows = []
        for name, choices in MENU:
            current = self.values.get(name, "")
            rows.append({
                "field": name, "label": FIELD_LABELS[name], "corrected_by": self.corrected.get(name, ""),
                "choices": [(value, label, value == current) for value, label in choices],
            })
        return rows

    @property
    def triaged(self) -> bool:
        return self.status == "triaged"

    @property
    def not_triaged_text(self) -> str:
        if self.status == "pending":
            return "Not triaged yet: waiting for the triage worker"
        if self.status == "failed":
            return f"Not triaged: {self.reason or 'triage failed'} (it will be retried)"
        return f"Not triaged: {self.reason or 'unknown reason'}"


def _pct(value) -> str:
    return f"{float(value):.0%}"


def _yes(value) -> bool:
    return value is not None and float(value) >= WARN_AT


def badges(t, corrected=(), full: bool = False) -> list[Badge]:
    """Badges for a stored triage `t` (a PostTriage or anything with its attributes).

    `corrected`: the fields a person corrected. `full` adds the calmer badges the
    conversation view shows (neutral sentiment, emotion, "no reply needed").
    """
    corrected = set(corrected)
    out: list[Badge] = []

    def add(kind, text, title="", level="", fields=()):
        out.append(Badge(kind, text, title, level, corrected=bool(corrected & set(fields or (kind,)))))

    if t.status != "triaged":
        return out
    if t.intent:
        scores = t.intent_scores or {}
        title = f"Intent: {t.intent}" + (f" ({_pct(scores[t.intent])} sure)" if t.intent in scores else "")
        add("intent", t.intent, title, "danger" if t.intent == "abuse" else "", ("intent",))
    if t.severity and (t.intent == "complaint" or _yes(t.complaint)):
        level = "danger" if t.severity >= 3 else "warn"
        add("severity", f"severity {t.severity}/4", "Complaint severity (0 none … 4 threat to leave, legal, "
            "safety or public shaming)", level, ("severity", "complaint"))
    if t.anger is not None and t.anger >= ANGRY_AT:
        add("anger", f"angry {_pct(t.anger)}", "Anger intensity: consider offering a call", "warn")
    if t.sentiment and (full or t.sentiment != "neutral"):
        level = "warn" if t.sentiment == "negative" else ""
        add("sentiment", t.sentiment, f"Sentiment: {t.sentiment}", level, ("sentiment",))
    if full and t.emotion and t.emotion != "neutral":
        add("emotion", t.emotion, f"Emotion: {t.emotion}", "", ("emotion",))
    if _yes(t.troll):
        add("troll", "likely troll", f"Troll {_pct(t.troll)}: abusive with no problem to solve; de-escalate, "
            "don't feed", "danger", ("troll",))
    if _yes(t.offensive) or _yes(t.hate):
        what = "hate speech" if _yes(t.hate) else "offensive"
        add("offensive", what, f"Offensive {_pct(t.offensive or 0)}, hate {_pct(t.hate or 0)}", "danger",
            ("offensive", "hate"))
    if t.outcome_unclear:
        add("outcome", "wants: unclear", "No outcome stands out: ask what would help", "info", ("desired_outcome",))
    elif t.desired_outcome and t.desired_outcome != "none":
        wants = t.desired_outcome.replace("_", " ")
        add("outcome", f"wants: {wants}", f"Desired outcome: {wants}", "info", ("desired_outcome",))
    if t.needs_response is not None:
        if t.needs_response >= WARN_AT:
            add("needs-response", "needs reply", f"Needs a response ({_pct(t.needs_response)})", "info")
        elif full:
            add("needs-response", "no reply needed", f"Needs a response: {_pct(t.needs_response)}")
    out.extend(common_badges(t))
    return out


def common_badges(t) -> list[Badge]:
    """Badges every stored triage has, triaged or not: language, topics, private data."""
    out = []
    if t.language and t.language != "en":
        out.append(Badge("language", f"language: {t.language}", f"Written in {t.language} (ISO 639-1)"))
    for topic in (t.topics or [])[:6]:
        out.append(Badge("topic", str(topic), f"Topic: {topic}"))
    kinds = [PRIVATE_KINDS.get(k, str(k)) for k in (t.private_data_posted or [])]
    if kinds:
        out.append(Badge("private", "private data posted: " + ", ".join(kinds),
                         "The customer posted private data: ask them to remove it, and never repeat it", "danger"))
    return out


def explanation(t) -> list[tuple[str, list[str]]]:
    """[(label, phrases)] for the labels the explanation covers, phrases capped at five each."""
    rows = []
    for label, phrases in (t.explanation or {}).items():
        if phrases:
            rows.append((str(label).replace("_", " "), [str(p) for p in phrases][:5]))
    return rows


def current_values(t) -> dict:
    """The current value of each correctable field, as the correction menu posts it."""
    values = {name: getattr(t, name) or "" for name in ("intent", "sentiment", "emotion", "desired_outcome")}
    values["severity"] = "" if t.severity is None else str(t.severity)
    for name in YES_NO:
        value = getattr(t, name)
        values[name] = "" if value is None else ("yes" if value >= WARN_AT else "no")
    return values


def view(t, corrections=None, full: bool = True) -> TriageView:
    """A TriageView of stored triage `t`; `corrections` maps field -> who corrected it."""
    corrections = corrections or {}
    if t is None:
        return TriageView(status="pending")
    shown = TriageView(status=t.status, reason=t.reason, priority=t.priority,
                       breakdown=list(t.priority_breakdown or []), corrected=dict(corrections),
                       values=current_values(t))
    if t.status == "triaged":
        shown.badges = badges(t, corrections, full=full)
        shown.explanation = explanation(t)
    else:
        shown.badges = common_badges(t)
    return shown


# The correction menu: each field's choices as (value posted, label shown).
MENU = [
    ("intent", [(v, v) for v in INTENTS]),
    ("sentiment", [(v, v) for v in SENTIMENTS]),
    ("emotion", [(v, v) for v in EMOTIONS]),
    ("desired_outcome", [(v, v.replace("_", " ")) for v in OUTCOMES]),
    ("severity", [(str(v), str(v)) for v in range(5)]),
    ("troll", [("yes", "yes"), ("no", "no")]),
    ("offensive", [("yes", "yes"), ("no", "no")]),
]


def parse_value(name: str, raw: str):
    """A posted menu value as correct_triage takes it; ValueError when it is not one of the choices."""
    choices = dict(MENU).get(name)
    if choices is None:
        raise ValueError(f"{name!r} cannot be corrected here")
    raw = str(raw).strip().lower()
    if raw not in {v for v, _ in choices}:
        raise ValueError(f"{raw!r} is not a valid {FIELD_LABELS.get(name, name).lower()}")
    if name == "severity":
        return int(raw)
    if name in YES_NO:
        return raw == "yes"
    return raw
