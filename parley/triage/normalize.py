"""Text normalisation before triage (pure; no Django).

Posts arrive with HTML fragments, entities, zero-width and bidirectional
marks, links and @mentions. The classifiers see a canonical form: markup
removed, invisible characters dropped, links and handles replaced by
placeholder words, whitespace collapsed, and a length cap so a 10,000-character
post costs no more than a long tweet.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing: zero-width space/joiners, word joiner,
# BOM, soft hyphen, and the bidirectional embedding/isolate controls.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A)),
    None,
)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,400}>")
_SCRIPT_STYLE = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@\w{1,50}")
_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{3,}")
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ\u009d]")

# Longest text the classifiers read; private-data detection reads the whole text.
MAX_MODEL_CHARS = 1000

URL_TOKEN = "http"
MENTION_TOKEN = "@user"


@dataclass(frozen=True)
class Cleaned:
    """`plain` is the customer's text made readable (markup and invisible characters
    removed); `model` is what the classifiers read."""

    plain: str
    model: str


def _fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 ("Ã©" for "é") when the round trip is clean."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def strip_markup(text: str) -> str:
    if "<" in text:
        text = _SCRIPT_STYLE.sub(" ", text)
        text = _BREAK.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def to_plain(text: str) -> str:
    """Readable text: markup, entities and invisible characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", _fix_mojibake(strip_markup(text or "")))
    text = text.translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()


def for_model(plain: str) -> str:
    """The classifiers' view: lower case, links and handles as placeholders, runs shortened."""
    text = plain[: MAX_MODEL_CHARS * 2]
    text = URL.sub(" " + URL_TOKEN + " ", text)
    text = MENTION.sub(MENTION_TOKEN, text)
    text = _REPEAT.sub(r"\1\1\1", text.lower())
    return _SPACE.sub(" ", text).strip()[:MAX_MODEL_CHARS]


def clean(text: str) -> Cleaned:
    plain = to_plain(text)
    return Cleaned(plain, for_model(plain))
