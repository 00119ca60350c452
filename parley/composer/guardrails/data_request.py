"""`public_data_request`: asking a customer to post private details in public ("reply with your
email"). Blocked: the customer will do what we ask, in front of everyone.

A sentence is a request when it asks for a private detail (a request verb or a question about
"your email", "your order number", ...) and names no private route (DM, private message, e-mail
us, a form or link, a phone call). "Please don't post your order number here" is not a request.
"""

from __future__ import annotations

import re

from .base import BLOCK, Context, Finding, Text, finding

_YOUR = r"(?:your|ur|the|the\s+customer['’]s|the\s+account['’]s|your\s+account['’]s)\s+"
DETAIL = re.compile(
    _YOUR + r"(?:full\s+|registered\s+|account\s+|contact\s+|home\s+|postal\s+|shipping\s+|delivery\s+|billing\s+|"
    r"mobile\s+|phone\s+|cell\s+|e-?mail\s+|order\s+|booking\s+|tracking\s+|card\s+|bank\s+)?"
    r"(?:e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?|cell(?:\s+number)?|number|"
    r"(?:full\s+)?name\s+and\s+(?:home\s+|postal\s+)?address|"
    r"(?:home\s+|postal\s+|shipping\s+|delivery\s+|billing\s+|street\s+)?address|post\s*code|zip(?:\s+code)?|"
    r"order\s+(?:number|no\.?|#|id|details)|account\s+(?:number|no\.?|#|id|details|info(?:rmation)?|email)|"
    r"card(?:\s+number|\s+details)?|credit\s+card(?:\s+number)?|last\s+(?:4|four)\s+digits|"
    r"date\s+of\s+birth|DOB|password|PIN|security\s+(?:code|question|answer)|CVV|"
    r"booking\s+(?:reference|ref|number)|reference\s+number|tracking\s+number|ticket\s+number|"
    r"policy\s+number|membership\s+number|customer\s+number|username|user\s*name|login|details|info(?:rmation)?|"
    r"personal\s+(?:details|info(?:rmation)?)|contact\s+(?:details|info(?:rmation)?))\b",
    re.IGNORECASE,
)
DETAIL_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:e-?mail(?:\s+address)?|phone\s+number|mobile\s+number|(?:home\s+|postal\s+|delivery\s+)?address|"
    r"order\s+number|account\s+number|account\s+e-?mail)\b",
    re.IGNORECASE,
)
ASK = re.compile(
    r"\b(?:send|share|reply|respond|tweet|post|comment|tell|give|provide|let\s+us\s+know|include|drop|confirm|"
    r"leave|type|write|add|pass|need|require|what['’]?s|what\s+is|what\s+are|can\s+(?:you|we|I)\s+(?:get|have)|"
    r"may\s+(?:we|I)\s+(?:have|get))\b",
    re.IGNORECASE,
)
PRIVATE_ROUTE = re.compile(
    r"\b(?:DM|DMs|D\.M\.|direct(?:ly)?\s+messag\w*|direct\s+message|private(?:ly)?|in\s+private|PM|inbox|messenger|"
    r"message\s+us|send\s+us\s+a\s+message|chat|e-?mail\s+(?:us|it|them|this)|e-?mail\s+to|via\s+e-?mail|by\s+e-?mail|"
    r"call\s+us|give\s+us\s+a\s+call|phone\s+us|secure|form|link|https?://|here:|contact\s+us\s+(?:here|via|at|through)|"
    r"follow\s+and\s+DM|follow\s+us)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:don['’]?t|do\s+not|never|no\s+need\s+to|avoid|please\s+remove|not\s+to|shouldn['’]?t|should\s+not|"
    r"won['’]?t\s+ask|will\s+never\s+ask|never\s+ask|delete|remove|without)\b",
    re.IGNORECASE,
)


def check(text: Text, ctx: Context) -> list[Finding]:
    if not ctx.public:
        return []
    clean = text.clean
    out = []
    for start, end in text.sentences():
        sentence = clean[start:end]
        detail = DETAIL.search(sentence) or DETAIL_QUESTION.search(sentence)
        if detail is None:
            continue
        if detail.group().lower().split()[-1] in ("details", "info", "information", "order", "number") and not re.search(
            r"\b(?:order|account|card|phone|contact|personal|booking|tracking|e-?mail|mobile|membership|policy|reference)\b",
            detail.group(), re.IGNORECASE,
        ):
            continue  # "your details" / "your number" alone is too vague to call private
        ask = ASK.search(sentence, 0, detail.start())
        question = sentence.rstrip().endswith("?") or ask is not None
        if not question:
            continue
        if PRIVATE_ROUTE.search(sentence) or NEGATION.search(sentence, 0, detail.start()):
            continue
        s = start + (ask.start() if ask else detail.start())
        out.append(finding(
            text, "public_data_request", BLOCK, s, start + detail.end(),
            "This asks the customer to post private details in public, where anyone can read them.",
            f"Ask for it in private: \"Please send us a DM with {_asked(detail.group())} and we'll take a look.\"",
        ))
    return out


def _asked(detail: str) -> str:
    words = detail.split()
    if words and words[0].lower() in ("the", "ur", "which", "what"):
        words[0] = "your"
    return " ".join(words)
