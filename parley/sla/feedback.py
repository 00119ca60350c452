"""Implicit feedback (pure): the customer's next message after a resolution or a reply, read as
thanks or renewed anger from triage (intent, sentiment, emotion, anger) and a small phrase list.

`read(text, triage)` says what a message expresses; `anchor(...)` says what it answers (the
latest of the brand's last reply and the last resolution before it, when no other customer
message came in between). Both are pure; sla.closebook stores the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

THANKS = "thanks"
ANGER = "anger"

# Renewed anger wins over thanks ("thanks for nothing").
_ANGER_PHRASES = (
    r"thanks? for nothing", r"thanks a lot\W*(?:not|for nothing)", r"still (?:not|no|waiting|broken|nothing|haven'?t|hasn'?t|doesn'?t|isn'?t|don'?t)",
    r"(?:not|never) (?:fixed|sorted|resolved|solved|arrived|received)", r"nothing (?:has )?changed",
    r"useless", r"ridiculous", r"unacceptable", r"a joke", r"worst", r"fed up", r"waste of (?:my )?time",
    r"disgrace(?:ful)?", r"never again", r"(?:this|it) (?:is|'s) broken again", r"same problem", r"again\?*!+",
    r"you(?:'ve| have) not (?:helped|done)", r"didn'?t (?:help|work|fix)", r"no help", r"pathetic",
)
_THANKS_PHRASES = (
    r"thanks?(?: you)?(?: so much| very much| a lot| again| heaps| loads)?\b", r"\bty\b", r"\bthx\b", r"\bcheers\b",
    r"appreciate(?:d)?", r"grateful", r"you(?:'re| are) (?:the best|a star|amazing|brilliant|awesome)",
    r"(?:great|excellent|amazing|brilliant|fantastic|quick|fast) (?:service|help|support|job)", r"all (?:sorted|good)",
    r"works? (?:now|perfectly|again)", r"(?:problem|issue) (?:solved|fixed|sorted)", r"legend", r"lifesaver",
    r"\bperfect\b", r"❤️|🙏|😊|👍",
)
_ANGER_RE = re.compile("|".join(f"(?:{p})" for p in _ANGER_PHRASES), re.IGNORECASE)
_THANKS_RE = re.compile("|".join(f"(?:{p})" for p in _THANKS_PHRASES), re.IGNORECASE)
_NEGATED_THANKS = re.compile(r"\bno,? thanks?\b|\bno thank you\b", re.IGNORECASE)


def phrase(text: str) -> str | None:
    """thanks, anger or None, from the words alone."""
    text = (text or "")[:5000]
    if _ANGER_RE.search(text):
        return ANGER
    cleaned = _NEGATED_THANKS.sub(" ", text)
    if _THANKS_RE.search(cleaned):
        return THANKS
    return None


@dataclass(frozen=True)
class TriageSignals:
    intent: str = ""
    sentiment: str = ""
    emotion: str = ""
    anger: float | None = None


ANGER_SCORE = 0.6


def read(text: str, triage: TriageSignals | None = None) -> tuple[str | None, list[str]]:
    """(kind, signals): what the message expresses, and what said so."""
    t = triage or TriageSignals()
    said = phrase(text)
    angry = []
    if said == ANGER:
        angry.append("phrase")
    if t.intent == "abuse":
        angry.append("intent")
    if t.emotion == "anger" and t.sentiment == "negative":
        angry.append("emotion")
    if t.anger is not None and t.anger >= ANGER_SCORE:
        angry.append("anger")
    if t.intent == "complaint" and t.sentiment == "negative":
        angry.append("sentiment")
    if angry:
        return ANGER, angry
    thanked = []
    if said == THANKS and t.sentiment != "negative":
        thanked.append("phrase")
    if t.intent == "praise":
        thanked.append("intent")
    if t.sentiment == "positive" and t.emotion in ("joy", "optimism"):
        thanked.append("sentiment")
    if thanked:
        return THANKS, thanked
    return None, []


RESOLUTION = "resolution"
REPLY = "reply"


def anchor(message_at: datetime, last_reply_at: datetime | None, last_resolved_at: datetime | None,
           previous_inbound_at: datetime | None) -> str | None:
    """What the customer's message at `message_at` answers: "resolution", "reply", or None.

    `last_reply_at` and `last_resolved_at` are the latest before the message; `previous_inbound_at`
    is the customer's message before this one. Only the customer's first message after the
    anchor counts (their next message); a resolution wins over a reply at the same moment or before.
    """
    candidates = [(at, kind) for at, kind in ((last_resolved_at, RESOLUTION), (last_reply_at, REPLY))
                  if at is not None and at <= message_at]
    if not candidates:
        return None
    at, kind = max(candidates, key=lambda c: (c[0], c[1] == RESOLUTION))
    if previous_inbound_at is not None and previous_inbound_at > at:
        return None
    return kind
