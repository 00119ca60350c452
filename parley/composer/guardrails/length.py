"""`length`: each channel's limit, with X's weighted counting.

X counts a text after NFC normalisation: code points in the Latin, general punctuation and
similar ranges weigh 1, every other code point (CJK, most symbols) weighs 2, an emoji sequence
(however many code points) weighs 2, and every URL weighs 23; the limit is 280. We count it
ourselves rather than with `twitter-text-parser` (same rules, see docs/guardrails.md): ours
returns Python str offsets, loads no emoji table, and counts 2,500 emoji in ~2 ms (~12 ms).
"""

from __future__ import annotations

import re
import unicodedata

from .base import BLOCK, WARN, Context, Finding, Text

X_LIMIT = 280
SCAN_CHARS = 4_000
X_URL_WEIGHT = 23
# (public, private) limits in characters; X public uses the weighted count.
LIMITS = {
    "x": (X_LIMIT, 10_000),
    "facebook": (8_000, 2_000),
    "instagram": (2_200, 1_000),
    "youtube": (10_000, 10_000),
    "email": (10_000, 10_000),
}
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

_PICTO = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3"
    "\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b07"
    "\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_EMOJI_UNIT = f"[{_PICTO}]\ufe0f?[\U0001f3fb-\U0001f3ff]?[\U000e0020-\U000e007f]*"
EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    "|[0-9#*]\ufe0f?\u20e3"  # a keycap
    f"|{_EMOJI_UNIT}(?:\u200d{_EMOJI_UNIT})*"
)
_TLDS = (
    "com|org|net|edu|gov|io|co|uk|us|ca|de|fr|es|it|nl|be|au|in|jp|ie|ly|me|app|ai|tv|info|biz|"
    "help|shop|store|support|link|gl|to"
)
URL = re.compile(
    # A link's path ends at the first character outside printable ASCII, as X counts it.
    r"(?:https?://|www\.)[^\s<>\"/]+(?:/[!-~]*)?"
    rf"|\b(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?![@.\w-])(?:/[!-~]*)?",
    re.IGNORECASE,
)
# Anything outside the ranges that weigh 1 (CJK, emoji, most symbols).
_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
LEADING_MENTIONS = re.compile(r"(?:@\w{1,15}\s+)+")
_TRAILING = ".,;:!?)]}'\"…"


def _weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _LIGHT:
        if lo <= cp <= hi:
            return 1
    return 2


def urls(text: str) -> list[tuple[int, int]]:
    out = []
    for m in URL.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def x_weights(text: str) -> list[tuple[int, int, int]]:
    """(start, end, weight) of every counted unit of `text` (already NFC), in order."""
    units: list[tuple[int, int, int]] = []
    specials: dict[int, tuple[int, int]] = {}
    link_spans = urls(text)
    for s, e in link_spans:
        specials[s] = (e, X_URL_WEIGHT)
    for m in EMOJI.finditer(text):
        if not any(s <= m.start() < e for s, e in link_spans):
            specials[m.start()] = (m.end(), 2)
    i, n = 0, len(text)
    while i < n:
        special = specials.get(i)
        if special:
            units.append((i, special[0], special[1]))
            i = special[0]
        else:
            units.append((i, i + 1, _weight(text[i])))
            i += 1
    return units


def x_length(text: str) -> int:
    """X's weighted length of `text`."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return sum(w for _, _, w in x_weights(text))


def _split_parts(text: str, limit: int) -> int:
    """How many posts a thread needs, breaking between words, each ending in " n/N"."""
    words = text.split()
    budget = limit - 6
    parts, used = 1, 0
    for word in words:
        w = x_length(word) if len(word) < 300 else len(word) * 2
        if used and used + 1 + w > budget:
            parts, used = parts + 1, w
        else:
            used += (1 if used else 0) + w
    return parts


def check(text: Text, ctx: Context) -> list[Finding]:
    draft = text.original
    public_limit, private_limit = LIMITS.get(ctx.channel, LIMITS["x"])
    if ctx.channel == "x" and ctx.public:
        if len(draft) <= X_LIMIT // 2:  # cannot exceed 280 even if every unit weighs 2
            return []
        normal = unicodedata.normalize("NFC", draft.replace("\r\n", "\n"))
        # X does not count the @mentions that open a reply (they are reply metadata).
        lead = LEADING_MENTIONS.match(normal)
        skip = lead.end() if lead else 0
        total, cut = 0, None
        # The overflow point always lies early; a very long draft is measured on its first part.
        same = len(normal) == len(draft)  # offsets in `normal` are offsets in the draft
        whole = len(normal) <= SCAN_CHARS
        normal = normal if whole else normal[:SCAN_CHARS]
        if not _HEAVY.search(normal) and not URL.search(normal):
            # Every unit weighs 1: no need to walk the text.
            total = len(normal) - skip
            cut = skip + X_LIMIT if total > X_LIMIT else None
        else:
            for s, e, w in x_weights(normal):
                if s < skip:
                    continue
                total += w
                if cut is None and total > X_LIMIT:
                    cut = s
        if total <= X_LIMIT:
            return []
        start = cut if same and cut is not None else 0
        parts = _split_parts(normal, X_LIMIT)
        return [
            Finding(
                "length",
                BLOCK,
                start,
                len(draft),
                f"{total if whole else 'Over ' + format(total, ',')} of X's {X_LIMIT} weighted characters "
                "(links count 23, emoji and CJK count 2): "
                "X will refuse this post.",
                f"Shorten it, split it into a thread of {parts if whole else 'more than ' + str(parts)} posts, or acknowledge publicly and move "
                "the details to a private message.",
            )
        ]
    limit = public_limit if ctx.public else private_limit
    if len(draft) <= limit:
        return []
    where = "a public reply" if ctx.public else "a private message"
    return [
        Finding(
            "length",
            BLOCK if ctx.channel != "email" else WARN,
            limit,
            len(draft),
            f"{len(draft):,} characters; {where} on {ctx.channel} holds at most {limit:,}.",
            "Shorten it, send it as two messages, or offer a phone call or an e-mail for the details.",
        )
    ]
