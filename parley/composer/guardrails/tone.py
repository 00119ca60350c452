"""`tone`: defensive, blaming, condescending, dismissive or rude phrasing, shouting, jokes in a
complaint reply, and negative framing. Each hit is explained and comes with a rewrite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import BLOCK, INFO, WARN, Context, Finding, Text, finding
from .phrases import any_of


@dataclass(frozen=True)
class Rule:
    name: str
    level: str
    pattern: re.Pattern
    message: str
    suggestion: str
    complaint_only: bool = False


RULES = (
    Rule(
        "defensive", WARN,
        any_of("as I already said", "as I said", "like I said", "as I mentioned", "as we mentioned", "as previously stated",
               "as stated before", "as already explained", "as we already told you", "as I already explained",
               "as I have explained", "I already told you", "we already told you", "to be fair", "with all due respect",
               "that's not our fault", "that is not our fault", "not our fault", "not our problem", "not our responsibility",
               "we did nothing wrong", "we are not to blame", "that's not true", "that is not true", "that's simply not true",
               "you're wrong", "you are wrong", "you are mistaken", "you're mistaken", "in our defense", "in our defence",
               "if you had read",
               raw=(r"(?:as|like)\s+(?:I|we)(?:['’]ve|\s+have|['’]d|\s+had)?\s+(?:already\s+)?(?:told|said|mentioned|explained|"
                    r"stated|advised|informed)(?:\s+(?:to\s+)?you)?(?:\s+(?:before|previously|already|earlier|twice|yesterday))?",
                    r"(?:I|we)(?:['’]ve|\s+have)\s+already\s+(?:explained|told\s+you|said|mentioned|answered|"
                    r"covered|been\s+through)(?:\s+(?:this|that|it))?",
                    # repeating ourselves: "we've been over this", "I have explained this several times",
                    # "we did explain this", "this is the third time you've asked", "tired of repeating ourselves"
                    r"(?:I|we)(?:['’]ve|\s+have)\s+(?:already\s+)?been\s+over\s+(?:this|that|it)",
                    r"(?:I|we)(?:['’]ve|\s+have)\s+(?:already\s+)?(?:explained|said|told\s+you|answered|mentioned)\s+"
                    r"(?:this|that|it)\s+(?:already|before|several|multiple|many|a\s+few|numerous|twice|three|more\s+than)",
                    r"(?:I|we)\s+did\s+(?:already\s+)?(?:explain|tell|say|mention|inform|advise|answer)\b",
                    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+time\s+(?:you(?:['’]ve|\s+have)?|we(?:['’]ve|\s+have)?)\s+"
                    r"(?:asked|tweeted|messaged|written|contacted|raised|told|explained|said|answered)",
                    r"(?:tired\s+of|keep|have\s+to\s+keep)\s+repeating\s+(?:ourselves|myself)",
                    r"as\s+(?:was|has\s+been|it\s+was)\s+(?:already\s+)?(?:explained|said|mentioned|stated|pointed\s+out)",
                    r"(?:I|we)(?:['’]ve|\s+have)\s+(?:already\s+)?told\s+you\s+(?:twice|three\s+times|already|before|"
                    r"several\s+times|more\s+than\s+once|\d+\s+times)",
                    r"you(?:['’]re|\s+are)\s+(?:simply|just|clearly|completely|totally)\s+(?:wrong|mistaken|incorrect)",
                    r"(?:it|this|that)\s+(?:says|states|is\s+stated|is\s+written)\s+clearly|clearly\s+(?:states|says|stated|written)",
                    r"(?:I|we)(?:['’]ve|\s+have)\s+(?:said|done)\s+all\s+(?:we|I)\s+can",
                    r"as\s+(?:clearly\s+)?(?:stated|outlined|explained|set\s+out|mentioned|noted)\s+(?:in|on)\s+(?:our|my|the)\s+"
                    r"(?:T&Cs|T\s*&\s*Cs|terms|policy|policies|FAQ|previous|last|earlier|website)",
                    # denials: "that isn't our fault", "we're not responsible", "that's simply untrue"
                    r"(?:is|was)(?:n['’]t|\s+not)\s+(?:our|my)\s+(?:fault|problem|responsibility|issue|concern)",
                    r"(?:we|I)(?:['’]re|\s+are|['’]m|\s+am)\s+not\s+(?:responsible|liable|accountable|to\s+blame)\b",
                    r"(?:that|this)(?:['’]s|\s+is)\s+(?:simply\s+|just\s+|completely\s+|totally\s+)?"
                    r"(?:untrue|false|inaccurate|not\s+accurate|incorrect|not\s+correct)",)),
        "Defensive: it argues with the customer instead of helping.",
        "Drop it and say what you will do: \"Let me check this for you.\"",
    ),
    Rule(
        "blaming", WARN,
        any_of("you shouldn't have", "you failed to", "you forgot to", "you didn't read",
               "you did not read", "your fault", "your own fault", "you need to read", "user error",
               "you clearly", "you obviously", "you were supposed to", "you neglected to", "it's on you", "you chose to",
               "if you had followed", "if you'd followed", "you didn't follow", "you did not follow", "you ignored",
               # "You should have received an email" is an expectation, not blame.
               raw=(r"you(?:['’]d|\s+would)\s+(?:know|have\s+known|see|have\s+seen|understand)\b[^.!?]{0,30}?\bif\s+you",
                    r"if\s+you(?:\s+had|['’]d)\s+(?:(?:actually|only|just)\s+)?(?:checked|read|looked|listened|paid\s+attention|followed|"
                    r"bothered)",
                    r"you\s+were\s+(?:clearly\s+|already\s+)?(?:told|informed|advised|warned)\b",
                    r"you\s+(?:should|must)\s+(?:really|definitely|obviously)\s+(?:have|['’]ve)(?!\s+(?:received|got|been\s+sent))",
                    r"(?:it['’]s|it\s+is|it\s+was|that['’]s|that\s+is|that\s+was)\s+(?:entirely\s+|solely\s+)?your\s+"
                    r"(?:responsibility|job|fault|problem)",
                    r"(?:it['’]s|it\s+is|it\s+was)\s+up\s+to\s+you\s+to",
                    r"you\s+(?:should|must)(?:\s+have|['’]ve)(?!\s+(?:received|got|gotten|an?|the|your|some|access|"
                    r"admin|permission|been\s+(?:sent|emailed|notified|given|charged)|seen|heard|noticed))",)),
        "Blaming: it puts the fault on the customer.",
        "Describe the fix, not the mistake: \"Here's how to get this sorted: ...\"",
    ),
    Rule(
        "condescending", WARN,
        any_of("calm down", "chill out", "it's not rocket science", "it is not rocket science",
               "as anyone knows", "as everyone knows", "it's very simple", "it is very simple", "it's really simple",
               "it's quite simple", "all you have to do is simply", "simply read", "just read", "learn to", "clearly you",
               "surely you", "surely you know", "you should know", "any fool", "for your information", "FYI",
               "try harder", "sweetie", "hun", "dear customer, please understand", "you need to understand",
               "you have to understand", "you must understand", "let me explain again", "calm yourself",
               "settle down", "take a deep breath", "whatever you say", "if you say so",
               raw=(r"no\s+need\s+to\s+(?:get\s+)?(?:so\s+)?(?:worked\s+up|upset|angry|emotional|stroppy|rude|shout|panic|"
                    r"be\s+(?:so\s+)?(?:rude|dramatic|upset))",
                    r"(?:it['’]s|it\s+is|this\s+is|that['’]s)\s+(?:really\s+|honestly\s+)?(?:not\s+(?:that|so|very|exactly)\s+"
                    r"(?:hard|difficult|complicated)|(?:pretty|quite|fairly|very|really)\s+(?:straightforward|simple|easy)\s+if\s+you)",
                    r"(?:did|do|have)\s+you\s+(?:even|actually|ever|at\s+least)\s+(?:try|tried|read|check|bother|look|restart|"
                    r"follow|own|use|know)",
                    r"try\s+(?:reading|checking|looking\s+at|following)\s+(?:the|our)\b[^.!?]{0,40}?\bnext\s+time",
                    r"(?:please\s+)?stop\s+(?:shouting|yelling|swearing|being\s+(?:rude|difficult))",
                    r"(?:why|how)\s+you(?:['’]re|\s+are|['’]d\s+be)\s+so\s+(?:upset|angry|worked\s+up|bothered)",
                    r"(?:kindly\s+|please\s+)?refrain\s+from|(?:watch|mind)\s+your\s+(?:tone|language|manners)",
                    r"(?:please\s+)?read\s+(?:our|the)\s+(?:FAQs?|terms|T&Cs|manual|instructions|help\s+pages?)\s+"
                    r"(?:before|first|next\s+time)",
                    r"(?:not\s+sure\s+)?what\s+(?:did|do|else\s+did|else\s+do)\s+you\s+expect|not\s+sure\s+what\s+you\s+expected",
                    r"what\s+part\s+of\b[^.!?]{1,40}?\b(?:is\s+unclear|do(?:n['’]t|\s+you\s+not)\s+(?:you\s+)?understand|"
                    r"is\s+(?:so\s+)?(?:hard|difficult|confusing))",
                    # "relax" and "obviously", unless it is "relax and enjoy" or our own obvious delight
                    r"relax(?!\s+and\s+(?:enjoy|have|treat)|\s+(?:knowing|with|in|by|at|on|under)\b)",
                    r"obviously(?!,?\s+(?:we|I|we['’]re|I['’]m|our|my)\b)",)),
        "Condescending: it talks down to the customer.",
        "Say it plainly and kindly: \"Here's what will help: ...\"",
    ),
    Rule(
        "dismissive", WARN,
        any_of("per our policy", "as per our policy", "according to our policy", "our policy states", "it's our policy",
               "it is our policy", "company policy", "there's nothing we can do", "there is nothing we can do",
               "nothing we can do", "nothing more we can do", "that's just how it is", "that's how it is",
               "it is what it is", "deal with it", "take it or leave it", "not our department", "not my department",
               "not my job", "we don't care", "we do not care", "if you don't like it", "if you do not like it",
               "feel free to go elsewhere", "shop elsewhere", "you're the only one", "you are the only one",
               "no one else has complained", "nobody else has complained", "too bad", "tough luck",
               "we can't help you", "we cannot help you", "can't help you with that", "that's your problem",
               "rules are rules", "you're not the only customer", "you are not the only customer",
               "we have other customers",
               raw=(r"nothing\s+(?:else|more|further)\s+(?:that\s+)?(?:we|I)\s+can\s+(?:do|offer)",
                    r"(?:that['’]s|that\s+is)\s+not\s+how\s+(?:it|this|things)\s+works?",
                    r"(?:this|the)\s+conversation\s+is\s+going\s+nowhere",
                    r"(?:that['’]s|that\s+is|it['’]s|it\s+is)\s+(?:just|simply)\s+(?:the\s+way|how)\s+(?:it|things)\s+"
                    r"(?:works?|is|are|goes)",
                    r"(?:it['’]s|it\s+is|this\s+is|that['’]s)\s+(?:really\s+|honestly\s+)?(?:not\s+(?:a\s+|that\s+)?|hardly\s+a\s+)"
                    r"(?:big\s+deal|the\s+end\s+of\s+the\s+world)",)),
        "Dismissive: it shuts the customer out instead of helping.",
        "Explain the reason and offer what you can: \"I can't do X, but I can do Y for you.\"",
    ),
    Rule(
        "rude", BLOCK,
        any_of("shut up", "stupid", "idiot", "idiotic", "moron", "dumb", "ridiculous", "pathetic", "get a life",
               "grow up", "stop whining", "stop complaining", "quit whining", "cry me a river", "loser", "nonsense",
               "get lost", "go away", "who cares", "wtf", "stfu", "damn", "crap", "bullshit", "shit", "f\\*+", "fuck"),
        "Rude: this must never reach a customer.",
        "Remove it and restate the reply with respect.",
    ),
    Rule(
        "joke", WARN,
        any_of("lol", "lmao", "rofl", "haha", "hahaha", "hehe", "jk", "just kidding", "just joking", "/s", "oopsie",
               "whoopsie", "my bad", "first world problems", "happens to the best of us", "nice try",
               "good luck with that", "yeah right", "sure, Jan", "welcome to the club",
               raw=("😂", "🤣", "😜", "😝", "🙃", "😆", "😅", "🤪", "🙄", "😏")),
        "Humour or sarcasm in a reply to a complaint reads as mocking the problem.",
        "Keep it warm but straight: acknowledge the problem and say what happens next.",
        complaint_only=True,
    ),
    Rule(
        "negative", INFO,
        any_of("we can't", "we cannot", "we can not", "I can't", "I cannot", "unable to", "impossible", "we won't",
               "we will not", "we don't allow", "we do not allow", "not allowed", "not possible", "that's not possible",
               "we never", "we refuse", "no way"),
        "Negative framing: it leads with what cannot be done.",
        "Lead with what you can do: \"What I can do is ...\"",
    ),
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ACRONYMS = {
    "DM", "DMS", "FAQ", "URL", "ID", "IOS", "OS", "PC", "TV", "USB", "UK", "US", "USA", "EU", "PIN", "SMS", "GPS", "ETA",
    "PM", "AM", "UTC", "GMT", "EST", "PST", "BST", "CET", "OK", "ASAP", "FYI", "WIFI", "APP", "API", "SIM", "VPN",
    "PDF", "HD", "4K", "LTE", "NFC", "ATM", "VAT", "RMA", "PS", "PS4", "PS5", "NBA", "NFL", "HBO", "BBC", "CEO",
    "CPU", "GPU", "RAM", "SSD", "HDD", "HDMI", "DNS", "IP", "ISP", "MAC", "VPN", "UHD", "DVR", "FAQS", "IOS", "SD",
}
_BANG = re.compile(r"[!?]{3,}")


_ADDRESSES = re.compile(r"(?<!\S)[^\s@]+@\S+|https?://\S+|www\.\S+")


def _shouting(text: Text) -> list[Finding]:
    out = []
    # E-mail addresses and links are not words: an address in capitals is not shouting.
    clean = _ADDRESSES.sub(lambda m: " " * len(m.group()), text.clean)
    words = [m for m in _WORD.finditer(clean)]
    caps = [m for m in words if m.group().isupper() and len(m.group()) >= 2 and m.group().upper() not in _ACRONYMS]
    letters = sum(len(m.group()) for m in words)
    caps_letters = sum(len(m.group()) for m in caps)
    long_caps = sum(1 for m in caps if len(m.group()) >= 4)
    if len(caps) >= 3 and long_caps >= 2 and (caps_letters >= 0.5 * letters or _run_of_caps(words)):
        out.append(finding(
            text, "tone", WARN, caps[0].start(), caps[-1].end(),
            "Shouting: words in capitals read as raising your voice.",
            "Write in sentence case; use one word in bold or capitals at most.",
        ))
    for m in _BANG.finditer(clean):
        out.append(finding(text, "tone", INFO, m.start(), m.end(),
                           "Repeated punctuation reads as shouting or exasperation.", "Use a single ! or ?."))
        break
    return out


def _run_of_caps(words) -> bool:
    run = 0
    for m in words:
        w = m.group()
        if w.isupper() and len(w) >= 2 and w.upper() not in _ACRONYMS:
            run += 1
            if run >= 3:
                return True
        else:
            run = 0
    return False


def check(text: Text, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    covered: list[tuple[int, int]] = []  # spans in `clean` of rule hits at warn or block
    clean = text.clean
    for rule in RULES:
        if rule.complaint_only and not ctx.complaint:
            continue
        for m in rule.pattern.finditer(clean):
            if rule.name == "negative" and _softened(clean, m.end()):
                continue
            out.append(finding(text, "tone", rule.level, m.start(), m.end(), rule.message, rule.suggestion))
            if rule.level != INFO:
                covered.append((m.start(), m.end()))
    out.extend(_shouting(text))
    out.extend(_learned(text, ctx, covered))
    return sorted(out, key=lambda f: f.start)


# --- the learned part: sentences the rules miss -------------------------------------------------

LEARNED = {
    "defensive": ("Defensive: this sentence argues for the brand instead of helping the customer",
                  "Leave out who was right; say what you will do: \"Let me check this for you.\""),
    "blaming": ("Blaming: this sentence puts the fault on the customer",
                "Describe the fix, not their mistake: \"Here's how we can put this right: ...\""),
    "condescending": ("Condescending: this sentence talks down to the customer",
                      "Say it plainly and kindly, as to an equal: \"Here's what will help: ...\""),
    "dismissive": ("Dismissive: this sentence shuts the customer out or belittles the problem",
                   "Acknowledge the problem and offer what you can: \"I understand. What I can do is ...\""),
    "joke": ("Humour or sarcasm in a reply to a complaint reads as mocking the problem",
             "Keep it warm but straight: acknowledge the problem and say what happens next."),
    "negative": ("Negative framing: this sentence refuses flatly, with no reason and nothing offered",
                 "Give the reason and lead with what you can do: \"That isn't possible, but I can ...\""),
}


def _admits(sentence: str) -> bool:
    """An admission of fault ("that was our mistake") is the apology policy's to judge, not defensive."""
    from .apology import admissions

    return any(True for _ in admissions(sentence))


def _learned(text: Text, ctx: Context, covered: list[tuple[int, int]]) -> list[Finding]:
    """Sentences the tone model scores above its threshold and no rule already flagged (warn/block)."""
    from . import tone_model

    if ctx.troll or ctx.spam:
        return []  # arguing with a troll is `troll_engagement`'s to judge; the rules above still run
    model = tone_model.load()
    if model is None:
        return []
    spans = []
    for start, end in text.sentences():
        sentence = text.clean[start:end]
        lead = len(sentence) - len(sentence.lstrip())
        start, end = start + lead, start + len(sentence.rstrip())
        if start >= end or any(s < end and start < e for s, e in covered) or _admits(text.clean[start:end]):
            continue
        if tone_model.worth_scoring(text.clean[start:end]):
            spans.append((start, end))
        if len(spans) >= tone_model.MAX_SENTENCES:
            break
    if not spans:
        return []
    try:
        probs = model.sentence_probabilities([text.clean[s:e] for s, e in spans])
    except Exception:  # noqa: BLE001 - the encoder's runtime missing: the rules still stand
        return []
    out = []
    for (start, end), row in zip(spans, probs):
        kinds = {label: float(p) for label, p in zip(model.labels, row) if label != tone_model.OK}
        if not ctx.complaint:
            kinds.pop("joke", None)  # jokes count only in replies to complaints, as for the rules
        score = sum(kinds.values())
        if score <= model.threshold:
            continue
        kind = max(kinds, key=kinds.get)
        message, suggestion = LEARNED[kind]
        out.append(finding(text, "tone", WARN, start, end,
                           f"{message} (learned tone model, score {score:.2f}).", suggestion))
    return out


_SOFTENERS = re.compile(r"\W{0,3}(?:\w+\W+){0,8}?(?:but|however|instead|what (?:I|we) can)\b", re.IGNORECASE)


def _softened(clean: str, end: int) -> bool:
    """'We can't X, but we can Y' leads to an offer: no negative-framing note."""
    sentence_end = min((i for i in (clean.find(".", end), clean.find("!", end), clean.find("\n", end)) if i != -1),
                       default=len(clean))
    return _SOFTENERS.match(clean, end, sentence_end) is not None or "but" in clean[end:sentence_end].lower().split()
