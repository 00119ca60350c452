"""Customers' writing habits applied to a clean sentence (pure, seeded).

Real social posts are lower-case, shouted, misspelt, abbreviated and full of
emoji. The scenario library is written cleanly; this module roughens it the
way one person would, so the same template reads differently per author.
Tokens that carry data (handles, hashtags, links, emails, numbers) are never
altered.
"""

from __future__ import annotations

import random
import re

MISSPELLINGS = {
    "receive": "recieve", "received": "recieved", "definitely": "definately", "because": "becuase",
    "tomorrow": "tommorow", "weird": "wierd", "separate": "seperate", "until": "untill",
    "really": "realy", "address": "adress", "literally": "literaly", "business": "buisness",
    "which": "wich", "their": "there", "believe": "beleive", "supposed": "suppose",
    "disappointed": "dissapointed", "embarrassing": "embarassing", "necessary": "neccessary",
    "refund": "refud", "order": "oder", "delivery": "delivey", "absolutely": "absolutly",
}
SHORTHAND = {
    "you": "u", "your": "ur", "please": "pls", "thanks": "thx", "because": "cos", "people": "ppl",
    "tonight": "tonite", "though": "tho", "about": "abt", "with": "w", "message": "msg", "are": "r",
}
ANGRY = ("😡", "🤬", "😤", "🙄", "💀", "😒")
SAD = ("😭", "😞", "😩", "🥲", "😢")
HAPPY = ("😍", "🙌", "✨", "❤️", "🥰", "😊", "👏", "💯")
NEUTRAL = ("🤔", "🙏", "👀", "😅")
GRIPE_TAGS = ("#fail", "#customerservice", "#notimpressed", "#fixit", "#ripoff", "#disappointed")

_PROTECTED = re.compile(r"(https?://\S+|[@#][\w.]+|\S+@\S+|\S*\d\S*)")


def _words(text: str, change) -> str:
    """Apply `change` to plain words only, leaving protected tokens alone."""
    parts = _PROTECTED.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"[A-Za-z']+", lambda m: change(m.group(0)), parts[i])
    return "".join(parts)


def _swap_letters(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def mood_emoji(severity: int, rng: random.Random) -> str:
    if severity <= 0:
        pool = HAPPY
    elif severity >= 3:
        pool = ANGRY
    else:
        pool = rng.choice((SAD, ANGRY, NEUTRAL))
    count = rng.choice((1, 1, 1, 2, 3))
    return rng.choice(pool) * count


def roughen(text: str, style: str, severity: int, rng: random.Random) -> str:
    """`text` as a person with this writing `style` and anger `severity` (0-4) would post it."""
    if style == "formal":
        return text
    if style in ("casual", "terse", "emoji", "shouty") and rng.random() < 0.6:
        text = _words(text, lambda w: w.replace("'", "") if w.lower() in {"don't", "can't", "won't", "i'm",
                                                                          "it's", "didn't", "isn't", "that's",
                                                                          "doesn't", "you're", "i've"} else w)
    if style in ("casual", "terse") and rng.random() < 0.55:
        text = _words(text, lambda w: w.lower() if w != "I" or rng.random() < 0.7 else w)
    if style in ("casual", "terse", "emoji") and rng.random() < 0.35:
        text = _words(text, lambda w: SHORTHAND.get(w.lower(), w) if rng.random() < 0.5 else w)
    if rng.random() < (0.35 if style in ("casual", "terse", "shouty") else 0.12):
        text = _words(text, lambda w: MISSPELLINGS.get(w.lower(), w))
    if rng.random() < 0.15:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 5]
        if candidates:
            i = rng.choice(candidates)
            words[i] = _swap_letters(words[i], rng)
            text = " ".join(words)
    if style == "terse":
        text = text.rstrip(".")
    if style == "shouty" and severity >= 2:
        text = _words(text, str.upper)
        text = re.sub(r"[!?]$", lambda m: m.group(0) * rng.randint(2, 4), text)
    elif severity >= 3 and rng.random() < 0.2:
        # One shouted phrase.
        words = text.split(" ")
        start = rng.randrange(0, max(1, len(words) - 2))
        words[start:start + 3] = [w.upper() for w in words[start:start + 3]]
        text = " ".join(words)
    if style == "emoji" or (style != "terse" and rng.random() < 0.3):
        text = text + " " + mood_emoji(severity, rng)
    if severity >= 2 and style in ("casual", "shouty", "emoji") and rng.random() < 0.2:
        text = text + " " + rng.choice(GRIPE_TAGS)
    return text
