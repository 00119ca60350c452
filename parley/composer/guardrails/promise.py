"""`vague_promise`: a promise with no time ("we'll look into it").

One promise detector serves the composer and the care workflow: `parley.sla.promises.detect`
(the one `parley promises` and follow-ups use). A vague promise is a promise it finds with no
due time, in a draft that names no time anywhere ("by 5 pm", "within 24 hours", "tomorrow", "on
Monday", "Nov 25"; "soon", "shortly" and "asap" are not times). Two kinds of promise are not
flagged: one beside a request to the customer ("We'll check. Can you DM us your email?": the
team cannot name a time before the customer answers; the detector already drops one that comes
after the request), and one to pass on praise or feedback (nothing for the customer to wait for).
"""

from __future__ import annotations

import re

from parley.sla.promises import REFERENCE_TIME, asks_customer, detect, names_time, sentences

from .base import WARN, Context, Finding, Text, finding

# "We'll pass your kind words on to the team", "we'll let the right folks know" (in a reply about
# feedback), "we'll announce any news here": nothing comes back to this customer in particular.
_RELAY = re.compile(
    r"\b(?:pass\w*|shar\w*|forward\w*|relay\w*|feed\w*\s+(?:it|this|that)\s+back|let\s+(?!(?:you|u)\b)(?:\w+\s+){0,4}?know|"
    r"tell\s+(?:the|our|my)\s+(?:\w+\s+)?(?:team|folks|devs|developers))\b",
    re.IGNORECASE,
)
_FEEDBACK = re.compile(
    r"\b(?:feedback|suggestions?|ideas?|(?:feature|content|your|this)\s+request|interest|wish(?:es)?|(?:kind|lovely|nice|warm)\s+words|compliments?|praise|"
    r"shout-?out|thoughts|(?:like|love)\s+to\s+see|you['’]d\s+like)\b",
    re.IGNORECASE,
)
_ANNOUNCE = re.compile(r"\b(?:announc\w*|let\s+everyone\s+know|(?:share|post)\s+(?:any\s+)?news)\b", re.IGNORECASE)


def check(text: Text, ctx: Context) -> list[Finding]:
    clean = text.clean
    found = [p for p in detect(clean, REFERENCE_TIME) if p.due is None]
    if not found or names_time(clean):
        return []
    spans = sentences(clean)
    out = []
    for promise in found:
        relay = _RELAY.search(promise.text) and _FEEDBACK.search(clean)
        if relay or _ANNOUNCE.search(promise.text.split("http")[0]) or _beside_request(clean, spans, promise.start):
            continue
        out.append(finding(
            text, "vague_promise", WARN, promise.start, promise.end,
            "A promise with no time: the customer cannot tell when to expect news, and the team has "
            "nothing to keep.",
            "Say when they will hear back: \"I'll update you by 5 pm tomorrow.\"",
        ))
    return out


def _beside_request(clean: str, spans: list[tuple[int, int]], start: int) -> bool:
    for i, (s, e) in enumerate(spans):
        if s <= start < e:
            neighbours = spans[max(0, i - 1):i] + spans[i + 1:i + 2]
            return any(asks_customer(clean[a:b]) for a, b in neighbours)
    return False
