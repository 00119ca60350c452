"""`public_data_request`: asking a customer to post private details in public ("reply with your
email"). Blocked: the customer will do what we ask, in front of everyone.

A sentence is a request when it asks for a private detail (a request verb or a question about
"your email", "your order number", ...) and names no private route (DM, private message, e-mail
us, a form or link, a phone call). "Please don't post your order number here" is not a request.
"""

from __future__ import annotations

import re

from .base import BLOCK, Context, Finding, Text, finding

# Details that are private however they are introduced ("the delivery address", "your order number").
_QUALIFIED = (
    r"(?:e-?mail\s+address|(?:phone|mobile|cell|contact)\s+(?:number|no\.?)|"
    r"(?:full\s+)?name\s+and\s+(?:home\s+|postal\s+)?address|"
    r"(?:home|postal|shipping|delivery|billing|street|e-?mail)\s+address|post\s*code|zip(?:\s+code)?|"
    r"order\s+(?:number|no\.?|#|id|details)|account\s+(?:number|no\.?|#|id|details|info(?:rmation)?|e-?mail)|"
    r"(?:credit\s+|debit\s+|bank\s+)?card\s+(?:number|details)|last\s+(?:4|four)\s+digits|"
    r"date\s+of\s+birth|DOB|password|PIN|security\s+(?:code|question|answer)|CVV|"
    r"booking\s+(?:reference|ref|number)|reference\s+number|tracking\s+number|ticket\s+number|"
    r"policy\s+number|membership\s+number|customer\s+number|username|user\s*name|login\s+details|"
    r"(?:personal|contact|payment|bank|login)\s+(?:details|info(?:rmation)?))"
)
# Details that are private only as the customer's own ("your email", "your address"): "the email"
# is often a message, "the address" a shop's.
_OWN = r"(?:e-?mail|address|card|name\s+and\s+address|details\s+of\s+your\s+(?:card|account))"
DETAIL = re.compile(
    rf"\b(?:(?:your|ur|your\s+account['’]s)\s+(?:full\s+|registered\s+)?(?:{_QUALIFIED}|{_OWN})"
    rf"|(?:the|the\s+customer['’]s|the\s+account['’]s|an?)\s+(?:full\s+|registered\s+)?{_QUALIFIED})\b",
    re.IGNORECASE,
)
DETAIL_QUESTION = re.compile(
    r"\b(?:the|an?)\s+(?:e-?mail(?:\s+address)?|phone\s+number|mobile\s+number|(?:postal\s+|home\s+)?address|number)\s+"
    r"(?:on|for|linked\s+to|associated\s+with|registered\s+(?:to|on|with)|used\s+for)\s+(?:your|ur|the)\s+account\b"
    # "the email you signed up with", "the number u registered"
    r"|\b(?:the|an?)\s+(?:e-?mail(?:\s+address)?|phone\s+number|mobile\s+number|(?:postal\s+|home\s+)?address|number)\s+"
    r"(?:you|u)\s+(?:signed\s+up|registered|used|log(?:ged)?\s+in|sign(?:ed)?\s+in|ordered|booked|gave\s+us)\b"
    r"|\b(?:which|what)\s+(?:e-?mail(?:\s+address)?|phone\s+number|mobile\s+number|(?:home\s+|postal\s+|delivery\s+)?address|"
    r"order\s+number|account\s+number|account\s+e-?mail)\b",
    re.IGNORECASE,
)
ASK = re.compile(
    r"\b(?:send|share|reply|respond|tweet|post|comment|tell|give|provide|let\s+us\s+know|include|drop|confirm|"
    r"leave|type|write|add|pass|need|require|pop|put|stick|paste|list|jot|what['’]?s|what\s+is|what\s+are|can\s+(?:you|we|I)\s+(?:get|have)|"
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
# "Is the postcode on the booking right?", "Have you updated your email address?": answered with a yes
# or a no, not with the detail.
YES_NO = re.compile(
    r"\W*(?:@\w+\s+)*(?:(?:hi|hey|hello|thanks|ok|okay)\b[^,!.?]*[,!.]\s*)?(?:and\s+|so\s+|also,?\s+)?"
    r"(?:is|are|was|were|has|have|had|did|do|does|will|would|should|could|can|may)(?:n['’]t)?\s+"
    r"(?!(?:you|u)\s+(?:please\s+)?(?:send|share|tell|give|post|reply|confirm|provide|let|drop|tweet|comment|pop|type|write))",
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
        ask = ASK.search(sentence, 0, detail.start())
        question = ask is not None or (sentence.rstrip().endswith("?") and not YES_NO.match(sentence))
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
