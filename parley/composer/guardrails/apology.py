"""The brand's apology policy.

`apology_liability` ("sympathy_only"): an apology that accepts responsibility ("I apologize",
"our fault", "we made a mistake") is a warning unless the conversation is linked to a known,
confirmed issue. "I'm sorry" (sympathy) is always fine.
`missing_apology` ("always_apologise"): a reply to a complaint with no apology or sympathy.
"""

from __future__ import annotations

import re

from .base import WARN, Context, Finding, Text, finding
from .phrases import any_of

LIABILITY = any_of(
    "I apologize", "I apologise", "we apologize", "we apologise", "I do apologize", "I do apologise",
    "we do apologize", "we do apologise", "I sincerely apologize", "I sincerely apologise",
    "we sincerely apologize", "we sincerely apologise", "please accept our apologies", "please accept my apologies",
    "our apologies", "my apologies", "apologies for", "our fault", "my fault", "the fault is ours", "the fault was ours",
    "we made a mistake", "I made a mistake", "we made an error", "we made an mistake", "our mistake", "my mistake",
    "our error", "our bad", "we messed up", "we screwed up", "we got it wrong", "we got this wrong", "we were wrong",
    "we are responsible", "we're responsible", "we take full responsibility", "we take responsibility",
    "we accept responsibility", "we accept full responsibility", "we're to blame", "we are to blame",
    "we dropped the ball", "we let you down", "this was our error", "that was our error", "this is on us",
    "that's on us", "that is on us", "we admit", "we failed you", "we failed to", "our negligence",
    "we'll compensate you for", "we will compensate you for",
    raw=(r"apologies(?=\s*[,.!:;—–-])", r"we\s+got\s+(?:it|this|that|your\s+\w+(?:\s+\w+)?)\s+wrong"),
)
APOLOGY = re.compile(
    r"\b(?:sorry|apolog\w*|regret\w*|unfortunate|frustrat\w*|disappoint\w*|inconvenien\w*|understand how|"
    r"hear that|feel bad)\b",
    re.IGNORECASE,
)
# "not our fault", "wasn't our mistake": a denial, not an admission (tone judges it).
_NOT_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bno)\s+$", re.IGNORECASE)
# Intents whose reply should carry an apology under "always_apologise".
COMPLAINT_INTENTS = ("complaint",)


def check_liability(text: Text, ctx: Context) -> list[Finding]:
    if ctx.apology_policy != "sympathy_only" or ctx.known_issue:
        return []
    return [
        finding(
            text, "apology_liability", WARN, m.start(), m.end(),
            "This apology accepts responsibility, which can matter legally; the brand's policy is sympathy only "
            "unless the issue is a known, confirmed one.",
            "Express sympathy instead: \"I'm sorry to hear about this\" — or link the conversation to the confirmed "
            "issue first.",
        )
        for m in LIABILITY.finditer(text.clean)
        if not _NOT_BEFORE.search(text.clean, max(0, m.start() - 12), m.start())
    ]


def check_missing(text: Text, ctx: Context) -> list[Finding]:
    if ctx.apology_policy != "always_apologise" or ctx.intent not in COMPLAINT_INTENTS:
        return []
    if APOLOGY.search(text.clean):
        return []
    return [
        finding(
            text, "missing_apology", WARN, 0, 0,
            "The brand always apologises to a complaining customer, and this reply has no apology.",
            "Start with an apology: \"I'm sorry about this, ...\"",
        )
    ]
