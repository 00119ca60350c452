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
    "we'll compensate you for", "we will compensate you for", "our oversight", "my oversight",
    raw=(r"apologies(?=\s*[,.!:;—–-])",
         # "we got your order wrong", "our team got it wrong"
         r"(?:we|I|our\s+(?:\w+\s+)?(?:team|staff|store|driver|courier|agent|colleague)s?)\s+(?:really\s+)?got\s+"
         r"(?:it|this|that|things|(?:your|the)\s+\w+(?:\s+\w+)?)\s+(?:completely\s+|badly\s+|all\s+)?wrong",
         r"(?:we|I)\s+(?:were|was)\s+(?:clearly\s+|entirely\s+)?(?:in\s+the\s+wrong|at\s+fault)",
         # "this one is entirely on us", "it was on us"
         r"(?:this|that|it)(?:\s+one)?(?:['’]s|\s+is|\s+was)\s+(?:entirely\s+|totally\s+|completely\s+|all\s+|fully\s+)?on\s+us",
         # "a mistake on our part", "an error on our side", "down to a mistake by our staff"
         r"(?:mistake|error|oversight|failure|slip|blunder)s?\s+(?:on\s+our\s+(?:part|side|end)|by\s+(?:us|our\s+\w+|one\s+of\s+our\s+\w+))",
         r"(?:the|this|that)\s+(?:error|mistake|fault|blame)\s+(?:was|is|lies)\s+(?:all\s+|entirely\s+)?(?:ours|mine|with\s+us)",
         # "we messed this up", "we really dropped the ball"
         r"(?:we|I)\s+(?:really\s+|totally\s+)?(?:messed|screwed|mucked|cocked|stuffed|fouled)\s+(?:(?:this|that|it|things|your\s+\w+)\s+)?up",
         # "we should have told you sooner": admitting what we failed to do
         r"(?:we|I)\s+should(?:\s+have|['’]ve)\s+(?:told|let\s+you\s+know|informed|warned|notified|caught|checked|done|"
         r"been\s+(?:clearer|more|better)|flagged|explained|called|contacted|updated|replied|responded|picked\s+up)",
         r"(?:we|I)\s+(?:accept|admit)\s+(?:that\s+)?(?:we\s+(?:got|made|were|should|messed|failed)|I\s+(?:got|made|was|should)|"
         r"(?:it|this)\s+was\s+(?:our|my|a\s+mistake|an\s+error))"),
)
APOLOGY = re.compile(
    r"\b(?:sorry|apolog\w*|regret\w*|unfortunate|frustrat\w*|disappoint\w*|inconvenien\w*|understand how|"
    r"hear that|feel bad|oh\s+no|gutted|what\s+a\s+(?:pain|nightmare|hassle|shame)|hate\s+(?:to\s+hear|that)|"
    r"sad\s+to|not\s+(?:the\s+)?(?:experience|service|standard|impression)\s+(?:we|you\s+should)|"
    r"(?:that|this)(?:['’]s|\s+is)\s+(?:not\s+(?:good|great|ideal|right|on|acceptable|okay|ok)|rough|awful|terrible|"
    r"a\s+pain|annoying|rubbish))\b",
    re.IGNORECASE,
)
# "not our fault", "wasn't our mistake": a denial, not an admission (tone judges it).
_NOT_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bno)\s+$", re.IGNORECASE)


def admissions(text: str):
    """The phrases of `text` that accept responsibility ("that was our mistake"), denials left out."""
    return (m for m in LIABILITY.finditer(text) if not _NOT_BEFORE.search(text, max(0, m.start() - 12), m.start()))
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
        for m in admissions(text.clean)
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
