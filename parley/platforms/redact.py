"""Take a deleted post's words out of a stored platform payload (pure).

A post the platform deleted must not live on in the raw copies Parley keeps: the webhook body it
arrived in (and any other body that carries it: a like's `favorited_status`, a quote's
`quoted_status`, an edit), and the raw JSON of other posts that embed it. The payload keeps its
shape, ids and timestamps, so a redacted dead letter still parses and replays (the post's text
is then empty, and the post is already known, or known deleted).

Two passes, both over the parsed JSON:

- by id: an object that *is* the post (its own id, `id_str`, `mid`, `comment_id`, or an X edit's
  `edit_history`, names it) loses its words: text fields become "", entities and attachments
  (hashtags, mentions, links, media) are emptied. Objects nested in it that are something else
  (the author, a quoted post) keep theirs.
- by content: a text field anywhere (`text`, `message`, ...) that is the post's text, holds it,
  or (12 characters or more) is part of it becomes "" (a retweet's "RT @name: ..." copy). Only
  text fields: a short deleted text ("ok") must not blank an id or a link that happens to hold it.

A body that is not JSON (a mail message) has the texts replaced byte for byte.
"""

from __future__ import annotations

import html
import json
from typing import Iterable

# Keys under which a post object holds its words, and (emptied, same type) what is derived from them.
TEXT_KEYS = frozenset({"text", "full_text", "message", "textDisplay", "textOriginal", "caption", "body"})
DERIVED_KEYS = frozenset({"extended_tweet", "entities", "extended_entities", "attachments", "display_text_range"})
# An object's own id, in the order that decides which one names it (a Meta feed comment has
# `comment_id` and its post's `post_id`: it is the comment).
OWN_ID_KEYS = ("id_str", "mid", "comment_id", "id", "post_id")
MIN_PART = 12  # a shorter string inside a deleted text is too likely an ordinary word


def own_id(obj: dict) -> str:
    for key in OWN_ID_KEYS:
        value = obj.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return ""


def _names(obj: dict, ids: set[str]) -> bool:
    if own_id(obj) in ids:
        return True
    history = obj.get("edit_history")  # an edited tweet has a new id; its history names the first
    if isinstance(history, dict):
        named = {str(history.get("initial_tweet_id") or "")} | {str(i) for i in history.get("edit_tweet_ids") or []}
        return bool(named & ids)
    return False


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _quotes(value: str, texts: list[str]) -> bool:
    plain = _plain(value)
    if not plain:
        return False
    return any(plain == t or (len(t) >= MIN_PART and t in plain) or (len(plain) >= MIN_PART and plain in t)
               for t in texts)


def _blank(value):
    """The same JSON type, empty."""
    if isinstance(value, str):
        return ""
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    return None


def _strip_post(obj: dict, ids: set[str], texts: list[str]) -> dict:
    out = {}
    for key, value in obj.items():
        if key in TEXT_KEYS and isinstance(value, str):
            out[key] = ""
        elif key in DERIVED_KEYS:
            out[key] = _blank(value)
        elif isinstance(value, dict) and not own_id(value):
            out[key] = _strip_post(value, ids, texts)  # e.g. YouTube's snippet: still the same post
        else:
            out[key] = _walk(value, ids, texts)
    return out


def _walk(value, ids: set[str], texts: list[str]):
    if isinstance(value, dict):
        if _names(value, ids):
            return _strip_post(value, ids, texts)
        return {k: "" if k in TEXT_KEYS and isinstance(v, str) and _quotes(v, texts) else _walk(v, ids, texts)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, ids, texts) for v in value]
    return value


def _usable(texts: Iterable[str]) -> list[str]:
    return sorted({_plain(t) for t in texts if t and _plain(t)}, key=len, reverse=True)


def redact_value(value, ids: Iterable[str], texts: Iterable[str] = ()):
    """`value` (parsed JSON) without the words of the posts `ids` nor any copy of `texts`."""
    return _walk(value, {str(i) for i in ids if i}, _usable(texts))


def redact_body(body: bytes, ids: Iterable[str], texts: Iterable[str] = ()) -> bytes:
    """A stored body without those posts' words; the same bytes when it held none of them."""
    ids, texts = list(ids), list(texts)
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        out = body
        for text in sorted({t for t in texts if t}, key=len, reverse=True):
            out = out.replace(text.encode(), b"")
        return out
    redacted = redact_value(parsed, ids, texts)
    if redacted == parsed:
        return body
    return json.dumps(redacted, ensure_ascii=False).encode()


def _id_value(key: str, value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    if key in OWN_ID_KEYS or key.endswith("_id") or key.endswith("_id_str"):
        return str(value)
    return ""


def named_ids(value) -> set[str]:
    """Every post id a payload names: each id-like value (`id_str`, `mid`, `in_reply_to_status_id_str`,
    `post_id`, ...) of every object in it, and an X edit's history. `redact_value` can change a
    payload for a deletion only if the payload names the deleted post (its object, or a copy of its
    words in a payload that names it), so a deletion needs to look at these payloads only."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(filter(None, (_id_value(key, v) for key, v in node.items())))
            history = node.get("edit_history")
            if isinstance(history, dict):
                found.update(str(i) for i in [history.get("initial_tweet_id"), *(history.get("edit_tweet_ids") or [])]
                             if i)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(value)
    return found
