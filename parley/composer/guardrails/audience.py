"""Who is watching: `troll_engagement` (arguing with a troll, answering a spam account) and
`pile_on` (replying into a pile-on)."""

from __future__ import annotations

from .base import WARN, Context, Finding, Text, finding
from .phrases import any_of
from .tone import RULES

ARGUING = any_of(
    "actually", "to be clear", "for the record", "let me explain", "let me be clear", "the fact is", "the facts are",
    "fact check", "that's false", "that is false", "that's incorrect", "that is incorrect", "incorrect", "untrue",
    "you claim", "you claimed", "you said", "prove it", "prove that", "you're lying", "you are lying", "lies",
    "misinformation", "how dare you", "we disagree", "we strongly disagree", "you're wrong", "you are wrong",
    "not true", "read our", "do your research", "educate yourself", "with respect", "with all due respect",
    "misinformed", "misleading", "inaccurate", "not accurate", "your claims", "false claims", "not going to argue",
    "won't argue", "no idea what you're talking about", "no idea what you are talking about",
    raw=(r"funny\s+how\s+(?:you|u)", r"(?:nobody|no\s+one|no-one)\s+(?:forced|made|asked)\s+you", r"go\s+ahead\s+and\s+(?:switch|leave|cancel|go|take\s+your)",
         r"feel\s+free\s+to\s+(?:switch|leave|take\s+your|go\s+elsewhere)",
         r"(?:your|these|those|such)\s+(?:claims|accusations|allegations)\s+(?:are|is)\s+(?:false|untrue|baseless|wrong)"),
)
_HEATED = {"defensive", "blaming", "condescending", "dismissive", "rude"}
# A short, neutral de-escalation is fine; a long reply to a troll feeds the argument.
TROLL_MAX_CHARS = 240


def check_troll(text: Text, ctx: Context) -> list[Finding]:
    clean = text.clean
    if ctx.spam:
        return [finding(
            text, "troll_engagement", WARN, 0, len(clean),
            "The post was triaged as spam; answering a spam account rewards it and shows your reply to its audience.",
            "Do not reply; hide or report the post instead.",
        )]
    if not ctx.troll or not ctx.public:
        return []
    out = []
    for m in ARGUING.finditer(clean):
        out.append(finding(
            text, "troll_engagement", WARN, m.start(), m.end(),
            "Arguing with a troll: this invites another round in public.",
            "Reply once, briefly and kindly, with where to get help (\"We're here in DM if you need us\"), and let them move along.",
        ))
    for rule in RULES:
        if rule.name in _HEATED:
            for m in rule.pattern.finditer(clean):
                out.append(finding(
                    text, "troll_engagement", WARN, m.start(), m.end(),
                    "Heated wording in reply to a troll gives them the reaction they want.",
                    "Stay neutral and short, or do not reply.",
                ))
    if len(clean) > TROLL_MAX_CHARS and not out:
        out.append(finding(
            text, "troll_engagement", WARN, 0, len(clean),
            f"A long reply ({len(clean)} characters) to a troll feeds the argument.",
            "Keep it to one short, neutral sentence with where to get help, or do not reply.",
        ))
    return sorted(out, key=lambda f: f.start)


def check_pile_on(text: Text, ctx: Context) -> list[Finding]:
    if not ctx.pile_on or not ctx.public:
        return []
    return [finding(
        text, "pile_on", WARN, 0, len(text.clean),
        "This thread is a pile-on: many people are replying, and every public word is read and quoted.",
        "Coordinate one response (check with the incident lead), keep it short and factual, take no sides, "
        "and move individual cases to private messages.",
    )]
