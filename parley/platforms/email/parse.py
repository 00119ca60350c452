"""A raw email (RFC 5322) -> a post event (pure), threaded by Message-ID / In-Reply-To / References."""

from __future__ import annotations

import email
import email.policy
from email.utils import getaddresses, parsedate_to_datetime

from parley.inbox.ingest import AuthorData, IncomingPost

from ..base import Event, NewPost, ParseError, stored_id

PLATFORM = "email"


def _ids(value: str) -> list[str]:
    return [part.strip() for part in str(value or "").replace("\n", " ").split() if part.strip().startswith("<")]


def body_text(message) -> str:
    """The plain-text part (HTML-only mail is reduced to its text, never stored as HTML)."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return ""
    import html
    import re

    text = re.sub(r"(?is)<(script|style).*?</\1>", " ", part.get_content())
    text = re.sub(r"(?s)<br\s*/?>|</p>", "\n", text)
    return html.unescape(re.sub(r"(?s)<[^>]+>", "", text)).strip()


def parse(body: bytes) -> list[Event]:
    if not body.strip():
        raise ParseError("empty message")
    try:
        message = email.message_from_bytes(body, policy=email.policy.default)
        message_id = _ids(message.get("Message-ID", ""))
        sender = getaddresses([str(message.get("From", ""))])
        recipients = [a.lower() for _, a in getaddresses([str(message.get(h, "")) for h in ("To", "Cc", "Delivered-To")]) if a]
        text = body_text(message)
    except (ValueError, TypeError, LookupError, AttributeError) as error:
        raise ParseError(f"unreadable message: {error}") from None
    if not message_id:
        raise ParseError("message without Message-ID")
    if not sender or not sender[0][1]:
        raise ParseError("message without From")
    try:
        created = parsedate_to_datetime(str(message.get("Date")))
    except (TypeError, ValueError):
        raise ParseError("message without a readable Date") from None
    if created.tzinfo is None:
        raise ParseError("Date without a time zone")
    name, address = sender[0]
    references = _ids(message.get("References", ""))
    in_reply_to = _ids(message.get("In-Reply-To", ""))
    subject = str(message.get("Subject", "") or "")
    post = IncomingPost(
        platform=PLATFORM,
        platform_id=stored_id(message_id[0]),
        text=f"{subject}\n\n{text}".strip() if subject and not in_reply_to else text,
        created_at=created,
        kind="email",
        author=AuthorData(platform_user_id=address.lower(), handle=address.lower(), display_name=name,
                          first_name=name.split()[0] if name else ""),
        in_reply_to_id=stored_id(in_reply_to[-1]) if in_reply_to else "",
        platform_conversation_id=stored_id(references[0]) if references else "",
        raw={"subject": subject, "from": address, "to": recipients, "message_id": message_id[0]},
    )
    # One event per mailbox of ours it was sent to; routing keeps those that are channels.
    return [NewPost(PLATFORM, recipient, post=post) for recipient in dict.fromkeys(recipients)] or [
        NewPost(PLATFORM, "", post=post)
    ]
