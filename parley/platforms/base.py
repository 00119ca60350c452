"""The shape every platform adapter has: verify and parse webhooks, send through a client.

An adapter (x/, meta/, ...) holds three modules of the same shape:
- `webhooks.py`: the subscription challenge and the signature check (before any parsing);
- `parse.py`: a verified body -> a list of `Event`s (pure; raises `ParseError`);
- `client.py`: calls to the platform API (send, like, hide, test), errors mapped to `SendError`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from parley.inbox.ingest import MAX_ID_CHARS, IncomingPost, clean_raw, digested_id  # noqa: F401 - clean_raw re-exported


def stored_id(platform_id: str) -> str:
    """The id we store: the platform's own (Instagram message ids run to ~180 characters), or a
    stable digest of it in the rare case it is longer than our column."""
    platform_id = str(platform_id or "")
    if len(platform_id) <= MAX_ID_CHARS:
        return platform_id
    return digested_id(platform_id)


class ParseError(ValueError):
    """A verified body that does not have the platform's shape; it becomes a dead letter."""


# --- events a delivery holds (what parse.py returns) -------------------------------------


@dataclass
class Event:
    platform: str  # our Platform value: x, facebook, instagram
    account_id: str  # the brand's account on the platform (for_user_id, Page id, IG user id)


@dataclass
class NewPost(Event):
    """A post, comment or message to store. `own` when the brand's account wrote it (an echo)."""

    post: IncomingPost = None  # type: ignore[assignment]
    own: bool = False


@dataclass
class Edited(Event):
    platform_id: str = ""
    text: str = ""
    at: datetime | None = None
    # The edited post in full, stored when the original was never seen (so its words are not lost).
    fallback: IncomingPost | None = None


@dataclass
class Deleted(Event):
    platform_id: str = ""
    at: datetime | None = None


@dataclass
class Liked(Event):
    platform_id: str = ""
    user_id: str = ""


@dataclass
class MentionRef(Event):
    """An Instagram mention: the payload names the comment; its text must be fetched."""

    media_id: str = ""
    comment_id: str = ""


@dataclass
class Ignored(Event):
    reason: str = ""


# --- results and errors of client calls ----------------------------------------------------


@dataclass
class Sent:
    platform_id: str
    url: str = ""
    raw: dict = field(default_factory=dict)


class SendError(Exception):
    """A platform call that did not succeed; `reason` is shown to agents."""

    retry = False

    def __init__(self, reason: str, *, status: int | None = None, code: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code


class Temporary(SendError):
    """Try again later (5xx, timeouts, connection errors)."""

    retry = True


class RateLimited(Temporary):
    """The platform throttled us; `retry_at` is when it said we may call again (if it said)."""

    def __init__(self, reason: str, retry_at: datetime | None = None, **kw):
        super().__init__(reason, **kw)
        self.retry_at = retry_at


class TokenInvalid(SendError):
    """The channel's token was revoked or expired: an admin must reconnect it; never retried."""


class TlsFailed(SendError):
    """The server's TLS could not be verified, or it offered none (certificate, host name, no STARTTLS):
    an admin must check the server, its certificate or the channel's security setting. The credentials
    are not at fault (they were not sent). Never retried until the channel is fixed."""


class Permanent(SendError):
    """The platform refused the request for good (bad id, deleted parent, policy)."""


class Refused(Permanent):
    """We refused to send it ourselves (window closed, no recipient, no credentials)."""


class Client:
    """What the outbox and the channel pages need from a platform API."""

    platform = ""

    def send(self, post, context: "SendContext") -> Sent:  # pragma: no cover - interface
        raise NotImplementedError

    def act(self, action: str, post) -> Sent:  # like, repost, hide, delete
        raise Refused(f"{action} is not supported on {self.platform}")

    def test_connection(self) -> str:  # pragma: no cover - interface
        """A line naming the account the credentials reach; raises SendError otherwise."""
        raise NotImplementedError


@dataclass
class SendContext:
    """What a send needs to know beyond the post itself."""

    recipient_id: str = ""  # the customer's platform id, for private messages
    recipient_handle: str = ""
    message_tag: str = ""  # Meta's Send API tag for a message outside the 24-hour window (HUMAN_AGENT)
    comment_id: str = ""  # a private reply to this comment (Meta): addressed by the comment, not the person
