"""`vague_promise`: a promise with no time ("we'll look into it").

A promise is a commitment the team must keep; without a time the customer cannot tell when to
expect news. A time anywhere in the draft ("by 5 pm", "within 24 hours", "tomorrow", "on
Monday") satisfies the check; "soon", "shortly" and "as soon as possible" do not. A promise that
waits on the customer ("DM us and we'll look into it", "if you send ..., we'll ...") is not
flagged, nor one beside a request to the customer ("Can you DM us your email? We'll check."): the
team cannot name a time before the customer answers.
"""

from __future__ import annotations

import re

from .base import WARN, Context, Finding, Text, finding

_WE = (
    r"(?:we|I|our\s+(?:\w+\s+)?(?:team|engineers?|specialists?|technicians?|agents?|staff|colleagues?|experts?|"
    r"department|people|crew)|the\s+team|a\s+(?:colleague|specialist|manager|supervisor|technician|engineer|"
    r"team\s+member)|one\s+of\s+(?:our|my)\s+\w+|my\s+(?:colleagues?|team|manager)|someone(?:\s+from\s+(?:our|the)\s+\w+(?:\s+team)?)?|a\s+member\s+of\s+(?:our|the)\s+team)"
)
_WILL = r"(?:['’]ll|\s+will|\s+are\s+going\s+to|['’]re\s+going\s+to|\s+am\s+going\s+to|['’]m\s+going\s+to|\s+shall)"
_ACT = (
    r"(?:look\s+into|look\s+at|check(?:\s+on|\s+in)?|investigate|chase|get\s+back|come\s+back|follow\s+up|update|"
    r"be\s+in\s+touch|reach\s+out|contact|call|let\s+you\s+know|keep\s+you\s+(?:posted|updated|informed)|escalate|"
    r"sort\s+(?:it|this|that)|fix|resolve|review|pass\s+(?:it|this|that)\s+on|send\s+you\s+an\s+update|"
    r"get\s+(?:it|this|that)\s+sorted|get\s+to\s+the\s+bottom|find\s+out|have\s+a\s+look)"
)
PROMISE = re.compile(
    rf"\b{_WE}{_WILL}\s+(?:\w+\s+){{0,2}}?{_ACT}\b"
    r"|\b(?:we|I)(?:['’]re|\s+are|['’]m|\s+am)\s+(?:currently\s+|still\s+|actively\s+)?(?:looking\s+into|working\s+on|investigating)\b"
    r"|\byou(?:['’]ll|\s+will)\s+hear\s+(?:back\s+)?from\s+(?:us|me|the\s+team)\b"
    r"|\b(?:will|we['’]ll)\s+be\s+in\s+touch\b"
    rf"|\b(?:and|&)\s+will\s+(?:\w+\s+){{0,2}}?{_ACT}\b"
    r"|\b(?:we|I)(?:['’]re|\s+are|['’]m|\s+am)\s+on\s+it\b",
    re.IGNORECASE,
)
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week)|end\s+of\s+(?:the\s+)?(?:day|week|today)|"
    r"EOD|COB|close\s+of\s+business|next\s+(?:week|business\s+day|working\s+day|" + _DAYS + r")|"
    r"(?:within|in|under|over)\s+(?:the\s+next\s+|the\s+)?(?:an?\s+|one\s+|two\s+|three\s+|four\s+|five\s+|six\s+|\d+(?:[-–]\d+)?\s*)?(?:-\s*)?"
    r"(?:min(?:ute)?s?|hours?|hrs?|h|days?|business\s+days?|working\s+days?|weeks?)|"
    r"\d+(?:[-–]\d+)?\s*(?:hours?|hrs|business\s+days?|working\s+days?)|"
    r"(?:by|at|before|around|until)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midday|midnight)|"
    r"\d{1,2}(?::\d{2})\s*(?:am|pm)?|\d{1,2}\s*(?:am|pm)|"
    r"(?:by|on|before|this|until)\s+" + _DAYS + "|" + _DAYS + "|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + "|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:if|once|when|after|as\s+soon\s+as\s+you|so\s+(?:that\s+)?|and|then)\b[^.!?]*$", re.IGNORECASE
)


_REQUEST = re.compile(
    r"\?\s*$|\b(?:DM|direct\s+message|send\s+(?:us|over|me)|share|let\s+(?:us|me)\s+know|reply|tell\s+us|"
    r"mind\s+sharing|could\s+you|can\s+you|would\s+you|please\s+(?:send|share|provide|confirm))\b",
    re.IGNORECASE,
)


def _asks_beside(clean: str, sentences: list[tuple[int, int]], start: int) -> bool:
    """A promise next to a request to the customer ("Can you DM us? We'll check") waits on their answer."""
    for i, (s, e) in enumerate(sentences):
        if s == start:
            neighbours = sentences[max(0, i - 1):i] + sentences[i + 1:i + 2]
            return any(_REQUEST.search(clean[a:b]) for a, b in neighbours)
    return False


def check(text: Text, ctx: Context) -> list[Finding]:
    clean = text.clean
    if TIME.search(clean):
        return []
    out = []
    sentences = text.sentences()
    for m in PROMISE.finditer(clean):
        start, _ = text.sentence_at(m.start())
        before = clean[start:m.start()]
        if _CONDITION.search(before) or _asks_beside(clean, sentences, start):
            continue
        out.append(
            finding(
                text, "vague_promise", WARN, m.start(), m.end(),
                "A promise with no time: the customer cannot tell when to expect news, and the team has "
                "nothing to keep.",
                "Say when they will hear back: \"I'll update you by 5 pm tomorrow.\"",
            )
        )
    return out
