"""Promises in agents' replies: find the commitments and when they fall due. Pure.

A promise is the brand committing, without conditions, to do something for the customer
later: look into it, get back, update, send, fix, refund ("We'll look into it", "I'll get
back to you tomorrow", "Expect an update by Friday", "Our team is investigating").
Offers and invitations that wait on the customer ("DM us and we'll take a look", "If you
need anything, we're here"), requests, policies ("We will never ask for your password")
and past actions are not promises. See docs/promises.md for the labelling guide and the
measured precision and recall.

    detect("Thanks! I'll get back to you tomorrow.", sent_at)
    -> [Promise(start=8, end=37, text="I'll get back to you tomorrow", due=<tomorrow 17:00>)]

The composer's `vague_promise` guardrail uses this detector too (a promise with no due time).

Due times are computed by our own rules (dues.py), which we measured against dateparser
and timefhuman on the labelled set (docs/promises.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .dues import due_from

MAX_TEXT = 10_000


@dataclass(frozen=True)
class Promise:
    start: int
    end: int
    text: str
    due: datetime | None

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text,
                "due": self.due.isoformat() if self.due else None}


# Who commits: the agent, the brand, a team acting for it.
_WHO = (
    r"(?:i|we|they|(?:our|my)\s+(?:\w+\s+)?(?:team|teams|engineers|specialists|developers|experts|staff|folks|people|"
    r"advisors?|agents?|colleagues|crew|techs?)|the\s+(?:\w+\s+)?(?:team|engineers|developers|crew|techs?)|someone(?:\s+from\s+(?:our|my)\s+\w+(?:\s+team)?)?|"
    r"(?:a|an|one\s+of\s+(?:our|my))\s+(?:\w+\s+)?(?:member\s+of\s+(?:our|my)\s+team|specialists?|experts?|advisors?|"
    r"agents?|colleagues?|engineers?|technicians?|representatives?|team\s+members?|supervisors?|managers?)"
    r"(?:\s+(?:from|of|on)\s+(?:my|our|the)\s+(?:\w+\s+)?team)?)"
)
_WILL = (
    r"(?:\s*(?:'ll|’ll)|\s+will|\s+shall|(?:\s*(?:'re|’re|'m|’m)|\s+(?:am|are|is))\s+going\s+to|"
    r"\s+(?:would|will)\s+(?:be\s+)?(?:happy|glad)\s+to\s+(?=follow|get\s+back|update))"
)
_ADV = r"(?:\s+(?:definitely|certainly|absolutely|also|then|now|surely|personally|immediately|happily|gladly|"
_ADV += r"directly|still|quickly|be\s+sure\s+to|make\s+sure\s+to|try\s+to|do\s+our\s+best\s+to|"
_ADV += r"need\s+to|have\s+to|continue(?:\s+to)?|keep))*"
# What they commit to (verbs that act for the customer).
_ACT = (
    r"(?:look(?:ing)?\s+(?:into|at|for)|take\s+(?:a\s+)?(?:closer\s+|further\s+|quick\s+)?look|"
    r"check(?:ing)?(?:\s+(?:on|in|into|with|this|that|it|back))?|investigat\w*|research\w*|dig\w*|"
    r"get(?:ting)?\s+back|come\s+back\s+to\s+(?:you|u)|circle\s+back|follow(?:ing)?[\s-]*up|update|updating|"
    r"follow\s+(?:this|that|it|your\s+\w+)\s+up|"
    r"keep\s+(?:you|u)\s+(?:posted|updated|informed|in\s+the\s+loop)|let\s+(?:you|u)\s+know|be\s+in\s+touch|"
    r"(?:back\s+)?in\s+(?:touch|contact)|give\s+(?:you|u)\s+a\s+(?:ring|call|bell|buzz|shout)|"
    r"speak\w*|talk\w*|drop\s+(?:you|u)\s+(?:an?\s+)?(?:e-?mail|line|message|note|dm)|have\s+a\s+(?:word|chat)|improv\w*|make\s+(?:it|this|things)\s+up\s+to\s+(?:you|u)|"
    r"let\s+(?:the\s+|our\s+|my\s+)?(?:right\s+|relevant\s+)?(?:\w+\s+)?(?:team|teams|folks|devs|developers|"
    r"engineers|people|experts|colleagues|department)\s+know|"
    r"get\s+in\s+touch|reach(?:ing)?\s+out|contact\w*|call\w*|ring|e-?mail\w*|text\w*|message\w*|dm\w*|"
    r"send\w*|ship\w*|mail\w*|forward\w*|pass\w*|share|sharing|escalat\w*|report\w*|flag\w*|raise\w*|"
    r"fix\w*|resolv\w*|sort\w*|correct\w*|repair\w*|replac\w*|refund\w*|credit\w*|reimburs\w*|"
    r"process\w*|issue\s+(?:a|the|your)|arrang\w*|schedul\w*|review\w*|work(?:ing)?\s+on|"
    r"find\s+out|see\s+what|make\s+sure|ensure|have\s+(?:this|that|it|someone|a|an|the|your)|"
    r"note\s+(?:this|that|it)|add\w*|cancel\w*|remov\w*|restor\w*|reactivat\w*|unlock\w*|"
    r"provide\s+(?:an?\s+)?(?:update|answer|response)|respond\w*|reply|replying|answer\w*|"
    r"confirm\w*|monitor\w*|investigate|get\s+(?:this|that|it|you|an?|the|your|someone)\b|post\w*|chas\w*|"
    r"push\w*|deploy\w*|releas\w*|announc\w*|keep\s+(?:an?\s+)?(?:close\s+)?eye|(?:pop|put|leave|place)\s+a\s+note|"
    r"loop\s+in|pull\s+up|open\s+a\s+(?:case|ticket|claim))"
)
# Work in progress the customer waits on: "looking into", "working hard to", "chasing".
_ONGOING = (
    r"(?:looking\s+(?:into|at)|investigating|working\s+(?:\w+\s+){0,2}?(?:on|to)\b|checking|researching|reviewing|"
    r"following\s+up|escalating|digging|introducing|releasing|rolling\s+out|removing|fixing|repairing|restoring|"
    r"partnering|chasing|in\s+the\s+process\s+of\s+\w+ing)"
)
_PROMISE_CUES = [
    # "we'll look into it", "I will get back to you", "our team is going to fix this"
    rf"\b{_WHO}{_WILL}{_ADV}\s+(?:be\s+)?{_ACT}",
    # "let me check", "let us look into this", "allow me to find out"
    r"\b(?:let\s+(?:me|us)|allow\s+(?:me|us)\s+to)\s+(?:quickly\s+)?(?:check|look|investigate|find\s+out|see|"
    r"dig|research|reach\s+out|follow\s+up|get\s+back|confirm|escalate|pass|forward|loop\s+in|get\s+(?:this|that|"
    r"it|someone|the))",
    # "we're looking into it", "our engineers are investigating", "I'm checking with the team"
    rf"\b{_WHO}\s*(?:'re|’re|'m|’m|\s+are|\s+am|\s+is|\s+r)\s+(?:now\s+|currently\s+|already\s+|actively\s+|still\s+)?"
    + _ONGOING,
    # "we're on it", "we're onto it"
    rf"\b{_WHO}\s*(?:'re|’re|'m|’m|\s+are|\s+am|\s+is)\s+(?:already\s+|right\s+)?on(?:to)?\s+(?:it|this|that|the\s+case)\b",
    # "Ill check": the apostrophe left out
    rf"\bIll{_ADV}\s+{_ACT}",
    # "... and are in the process of removing them"
    r"\band\s+(?:are|is)\s+(?:now\s+|currently\s+|actively\s+)?" + _ONGOING,
    # "your feedback will be passed on", "the issue has been escalated and will be reviewed"
    r"\b(?:your|the|this|that)\s+(?:feedback|suggestion|request|comments?|concern|issue|case|report|details|idea|"
    r"complaint)\s+(?:will|'ll|’ll)\s+be\s+(?:passed|shared|forwarded|escalated|reviewed|looked|investigated|sent|"
    r"raised|reported|fixed|resolved|addressed)",
    # "you'll hear from us", "you will receive an update/email/refund", "you should get a reply within"
    r"\byou(?:'ll|’ll|\s+will|\s+should)\s+(?:also\s+)?(?:hear\s+(?:back\s+)?from|receive|get|be\s+(?:contacted|"
    r"hearing|receiving|getting|refunded|credited|notified|updated))\b(?!\s+(?:an?\s+)?(?:error|message\s+saying|"
    r"charged|prompt))",
    # "... and will get back to you", "we've escalated it and will call you"
    rf"\b(?:and|&)\s+(?:will|shall){_ADV}\s+(?:be\s+)?{_ACT}",
    # "you'll see the refund on your statement"
    r"\byou(?:'ll|’ll|\s+will|\s+should)\s+see\s+(?:it|this|that|the\s+(?:refund|credit|money|funds|points|change)|"
    r"your\s+(?:refund|credit|points|money))\b",
    # "you should have an email waiting for you"
    r"\byou(?:'ll|’ll|\s+will|\s+should)\s+have\s+(?:an?|the|your)\s+(?:new\s+)?(?:email|reply|response|answer|"
    r"update|refund|replacement|call|credit)\b",
    # "expect an update by Friday", "expect to hear from us"
    r"\b(?:expect|look\s+out\s+for|watch\s+(?:out\s+)?for)\s+(?:an?\s+|our\s+|a\s+further\s+)?(?:update|reply|"
    r"response|answer|email|call|message|follow[\s-]*up|to\s+hear)",
    # "we promise to", "I commit to", "we'll make it right"
    r"\b(?:i|we)\s+(?:promise|commit|guarantee)\b",
    r"\b(?:i|we)(?:'ll|’ll|\s+will)\s+make\s+(?:it|this|things)\s+right\b",
    # "an update will follow", "a refund will be issued", "a replacement is on its way"
    r"\b(?:an?\s+|the\s+|your\s+)(?:new\s+)?(?:update|replacement|refund|credit|response|reply|answer|fix|callback|"
    r"call|voucher|engineer|technician)(?:\s+(?:card|unit|device|of|for)(?:\s+[^\s!?]+){0,2}?)?\s+"
    r"(?:will\s+(?:be\s+)?(?:follow|issued|sent|processed|arrive|provided|applied|made|posted|shared|out|credited|"
    r"reissued|dispatched|with\s+you)|is\s+on\s+(?:its|the)\s+way)",
]
_CUE = re.compile("|".join(f"(?:{c})" for c in _PROMISE_CUES), re.IGNORECASE)

# Not promises although a cue matches.
_NOT = [
    # conditions on the customer: "if you DM us we'll", "once you send it, we'll", "when you're ready"
    r"\b(?:if|once|when|whenever|after|as\s+soon\s+as|should|in\s+case|unless)\s+(?:you|it|this|the\s+issue|"
    r"that|they|your)\b[^.!?]*$",
    # "once we have your details, we'll": waits on what the customer sends
    r"\b(?:once|when|as\s+soon\s+as|after)\s+(?:we|I)\s+(?:have|get|receive|see|hear\s+back\s+from)\s+"
    r"(?:your|you|ur|those|these|the\s+(?:details|info|screenshot|photo)s?)\b[^.!?]*$",
    # hedges: "hopefully we'll", "fingers crossed we'll", "we may"
    r"\b(?:hopefully|fingers\s+crossed|we\s+hope|i\s+hope|maybe|perhaps)\b[^.!?]*$",
    # "please let us look into this": asking the customer's leave
    r"\b(?:please|pls|kindly)\s*$",
    # invitations: "DM us and we'll", "reach out/let us know and we'll", "follow us and"
    r"^\W*(?:@\w+\s+)*(?:(?:hi|hey|hello|thanks|thank\s+you|sorry)\b[^,!.]*[,!.]\s*)?"
    r"(?:otherwise|also|alternatively|meanwhile|then|instead)?,?\s*(?:please\s+|pls\s+|just\s+|"
    r"simply\s+|kindly\s+|feel\s+free\s+to\s+|go\s+ahead\s+and\s+)?"
    r"(?:dm|message|text|email|e-mail|tweet|send|reach\s+out\s+to|contact|call|follow|tell|give|share\s+with|"
    r"get\s+in\s+touch|report|submit|revert|head|go|write|reach|share|"
    r"let|drop|shoot|pop|ping|write|fill\s+(?:out|in)|visit|click|use|reply|respond|provide|comment|post|leave|"
    r"attach|upload|include|try|restart|reinstall|install|sign|log)\b[^.!?]{0,120}?\b"
    r"(?:and|so|&|then)\s*$",
    r"\b(?:please|pls|plz|kindly)\s+[^.!?]{0,120}?\b(?:and|so|&|then)\s*$",
    r"\byou\s+(?:can|could|may|might\s+want\s+to)\s+[^.!?]{0,120}?\b(?:and|so|&|then)\s*$",
    # a link for the customer to use: "here: https://... and we'll check"
    r"https?://\S+\s*(?:\S+\s+){0,8}?(?:and|so|&|then)\s*$",
    # hypotheticals and questions: "we'd", "would you like us to", "can we", "do you want us to"
    r"\b(?:would\s+you\s+like|do\s+you\s+want|shall\s+we|can\s+we|could\s+we|may\s+we|want\s+us\s+to|"
    r"happy\s+to\s+help\s+if|is\s+there\s+anything)\b[^.!?]*$",
]
_NOT_BEFORE = re.compile("|".join(f"(?:{n})" for n in _NOT), re.IGNORECASE)
_NOT_AFTER = re.compile(
    # "we'll keep an eye out for your reply": waits on the customer
    r"^\s*(?:out\s+)?for\s+(?:your|ur)\s+(?:reply|update|response|dm|message|answer|tweet|email|details)\b|"
    r"^[^.!?]{0,3}\b(?:need|require|want|never|not|n't|be\s+(?:here|around|available)|be\s+happy\s+to\s+help|"
    r"be\s+glad\s+to\s+help|be\s+able\s+to\s+(?:help|assist)|recommend|suggest|ask\s+you|have\s+to\s+ask)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"(?:won't|won’t|will\s+not|can't|can’t|cannot|unable|'ll\s+never|will\s+never|not\s+going)",
                      re.IGNORECASE)
_QUESTION_END = re.compile(r"\?\s*$")

# Sentence boundaries: sentence ends, semicolons, dashes, line breaks, "...", agents' initials (^AB).
_SENTENCE = re.compile(r"(?<=[.!?])\s+|[;\n]|\s+[–—-]\s+|(?<=[.!?])(?=[A-Z@#])|\s*\.\.\.\s*|\^[A-Z]{1,4}\b")
# Within a sentence, a new promise may start at "and you'll / and we'll ...".
_AND_NEXT = re.compile(r",?\s+and\s+(?=(?:you|we|i|they)(?:'ll|’ll|\s+will|\s+should)\b)", re.IGNORECASE)


# A link followed by a capitalised word ends a sentence even without a full stop.
_URL_END = re.compile(r"https?://\S+(\s+)(?=[A-Z])")


def _sentence_breaks(text: str) -> list[tuple[int, int]]:
    marks = sorted([(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
                   + [(m.start(1), m.end(1)) for m in _URL_END.finditer(text)])
    out, last = [], -1
    for a, b in marks:
        if a >= last:
            out.append((a, b))
            last = b
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text` as the detector splits them."""
    return list(_spans(_sentence_breaks(text), text))


def _spans(breaks, text: str, offset: int = 0):
    """(start, end) of the pieces of `text` between `breaks` ((start, end) pairs), shifted by offset."""
    start = 0
    for a, b in breaks:
        if a > start:
            yield offset + start, offset + a
        start = b
    if start < len(text):
        yield offset + start, offset + len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\"'(*-–—,:":
        start += 1
    while end > start and text[end - 1] in " \t\"')*,:;.!":
        end -= 1
    return start, end


# A sentence asking the customer for something: a question to them, or an instruction.
_REQUEST = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\b.*\?\s*$|\bmind\s+\w+ing\b|\b(?:your?|ur?)\b.*\?\s*$|"
    r"\b(?:next\s+step\s+is\s+to|you\s+(?:can|could|may|should)|go\s+ahead\s+and|we\s+(?:recommend|suggest))\s+"
    r"(?:\w+\s+){0,3}?(?:get\s+in\s+touch|contact|reach\s+out|write|chat|call|submit|send|create|report|visit|"
    r"request|file|appeal|ask|apply|raise|open|message|dm)|"
    r"^\W*(?:\d+[:/.)]\s*)?(?:@\w+\s+)*(?:(?:hi|hey|hello|thanks|sorry)\b[^,!.]*[,!.]\s*)?"
    r"(?:please\s+|pls\s+|kindly\s+|just\s+|go\s+ahead\s+and\s+)?"
    r"(?:dm|send|share|tell|let\s+us\s+know|reach\s+out|contact|report|submit|get\s+in\s+touch|fill|provide|"
    r"give\s+us|shoot\s+us|drop\s+us|follow)\b|\bplease\s+(?:dm|send|share|tell|let\s+us\s+know|provide|"
    r"reach\s+out|contact|report|submit|get\s+in\s+touch)\b",
    re.IGNORECASE | re.DOTALL,
)
# Promises to look at something: after a request, they wait on the customer's answer.
_LOOK = re.compile(
    r"\b(?:look|looked|looking|check|checking|see\s+what|investigate|help|assist|go\s+from\s+there|"
    r"take\s+it\s+from\s+there|get\s+started|dig|point\s+you|work\s+(?:on\s+it\s+)?together)\b",
    re.IGNORECASE,
)


# Only to ask whether words name a time (any fixed instant serves).
REFERENCE_TIME = _REFERENCE = datetime(2000, 1, 3, tzinfo=timezone.utc)

_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Time words the due parser may not resolve to an instant but that tell the customer when
# ("in the next hour", "at 3", "COB"); "soon", "shortly" and "asap" are not times.
_TIME_WORDS = re.compile(
    r"\b(?:today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week)|end\s+of\s+(?:the\s+)?(?:day|week|today)|"
    r"EOD|COB|close\s+of\s+business|next\s+(?:week|business\s+day|working\s+day|" + _DAYS + r")|"
    r"(?:within|in|under|over)\s+(?:the\s+next\s+|the\s+)?(?:an?\s+|one\s+|two\s+|three\s+|four\s+|five\s+|six\s+|"
    r"\d+(?:[-–]\d+)?\s*)?(?:-\s*)?(?:min(?:ute)?s?|hours?|hrs?|h|days?|business\s+days?|working\s+days?|weeks?)|"
    r"\d+(?:[-–]\d+)?\s*(?:hours?|hrs|business\s+days?|working\s+days?)|"
    r"(?:by|at|before|around|until)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midday|midnight)|"
    r"\d{1,2}(?::\d{2})\s*(?:am|pm)?|\d{1,2}\s*(?:am|pm)|"
    r"(?:by|on|before|this|until)\s+" + _DAYS + "|" + _DAYS + "|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + "|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b",
    re.IGNORECASE,
)


def names_time(text: str) -> bool:
    """Whether `text` tells the reader when: a due time the parser resolves, or a time word."""
    return _TIME_WORDS.search(text) is not None or due_from(text, REFERENCE_TIME) is not None


def asks_customer(sentence: str) -> bool:
    """Whether a sentence asks the customer for something (a question to them, or an instruction)."""
    return bool(sentence) and _REQUEST.search(sentence) is not None


def _waits_on_request(previous: str, clause: str, sent_at) -> bool:
    """A look after a request ("Can you DM us your email? We'll check") waits on the answer."""
    if not asks_customer(previous) or not _LOOK.search(clause):
        return False
    return sent_at is None or due_from(clause, sent_at) is None


# A commitment to customers in general ("our team will email affected customers") is a policy.
_GENERIC = re.compile(
    r"\b(?:to|for|with|email|contact|notify|call)\s+(?:all\s+|any\s+|affected\s+|eligible\s+|impacted\s+)"
    r"(?:customers|members|users|passengers|travell?ers|guests|cardholders|account\s+holders)\b",
    re.IGNORECASE,
)


def detect(text: str, sent_at: datetime | None = None) -> list[Promise]:
    """The promises in `text` with character offsets; `due` is resolved against `sent_at` when given."""
    text = (text or "")[:MAX_TEXT]
    out: list[Promise] = []
    previous = ""
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        before_sentence, previous = previous, sentence
        if _QUESTION_END.search(sentence):
            continue
        for c_start, c_end in _spans([(m.start(), m.end()) for m in _AND_NEXT.finditer(sentence)], sentence, s_start):
            clause = text[c_start:c_end]
            for m in _CUE.finditer(clause):
                # what came before in the whole sentence decides whether it waits on the customer
                before = text[s_start:c_start + m.start()]
                if _NOT_BEFORE.search(before) or _NOT_AFTER.search(clause[m.end():]):
                    continue
                if _NEGATED.search(m.group(0)):
                    continue
                if c_start == s_start and _waits_on_request(before_sentence, clause, sent_at or _REFERENCE):
                    continue
                if _GENERIC.search(clause, m.start()):
                    continue
                # from the promise's subject to the end of the clause (a promise keeps its time words)
                start, end = _trim(text, c_start + m.start(), c_end)
                due = None
                if sent_at is not None:
                    due = due_from(clause, sent_at) or due_from(sentence, sent_at)
                out.append(Promise(start, end, text[start:end], due))
                break  # one promise per clause
    return out
