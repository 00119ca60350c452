"""Inbound mail by IMAP polling: read new messages of an email channel's mailbox and store each as a
delivery processed like one from the inbound-mail webhook (same parser, same threading, dead letters).

Only new messages are read: the cursor is (UIDVALIDITY, highest UID done), kept per channel. On the
first poll, or when the server renumbered the mailbox (a new UIDVALIDITY), unseen messages are read.
Bodies are fetched with BODY.PEEK[] (reading never marks them seen); once stored, a message is marked
\\Seen, or moved to a folder when one is configured: UID MOVE where the server offers MOVE (RFC 6851),
else UID COPY + \\Deleted + UID EXPUNGE of that message where it offers UIDPLUS (RFC 4315), else
UID COPY + \\Deleted and one EXPUNGE after the batch (which also removes messages someone else marked
deleted in that folder: the only way such a server offers).

TLS: "ssl" (implicit TLS, the port-993 style) or "starttls" (refused if the server does not offer it,
never continued in plain text); certificates and host names are always verified (`tls.py`). A TLS
failure marks the channel for an admin, like a refused login, and reads nothing. A message over
PARLEY_IMAP_MAX_BYTES is not downloaded: its header becomes a dead letter and the message is left
unseen in the mailbox for a person to read.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..base import Permanent, Refused, SendError, Temporary, TlsFailed, TokenInvalid
from ..models import ChannelAccount, PollState
from . import tls

log = logging.getLogger(__name__)


class Mailbox:
    """The IMAP settings of an email channel (from its encrypted credentials)."""

    def __init__(self, channel: ChannelAccount):
        creds = channel.get_credentials()
        self.host = creds.get("imap_host", "")
        if not self.host:
            raise Refused("the email channel has no IMAP server; enter it on the Channels page")
        try:
            self.port = int(creds.get("imap_port") or 993)
        except ValueError:
            raise Refused("the email channel's IMAP port is not a number") from None
        # The mailbox login is usually the SMTP one.
        self.username = creds.get("imap_username") or creds.get("smtp_username") or channel.external_id
        self.password = creds.get("imap_password") or creds.get("smtp_password", "")
        self.security = (creds.get("imap_security") or ("ssl" if self.port == 993 else "starttls")).lower()
        if self.security not in ("ssl", "starttls", "none"):
            raise Refused("the email channel's IMAP security must be ssl, starttls or none")
        self.folder = creds.get("imap_folder") or "INBOX"
        self.move_to = creds.get("imap_move_to", settings.PARLEY_IMAP_MOVE_TO)

    def connect(self) -> imaplib.IMAP4:
        timeout = settings.PARLEY_PLATFORM_TIMEOUT_SECONDS
        conn = None
        try:
            if self.security == "ssl":
                conn = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=tls.client_context(), timeout=timeout)
            else:
                conn = imaplib.IMAP4(self.host, self.port, timeout=timeout)
                if self.security == "starttls":
                    if "STARTTLS" not in conn.capabilities:
                        raise TlsFailed(f"the IMAP server {self.host}:{self.port} does not offer STARTTLS; Parley "
                                           "will not send the password in plain text (use security ssl, or ask "
                                           "for TLS on the server)")
                    conn.starttls(tls.client_context())
        except ssl.SSLError as error:
            if conn is not None:
                _close(conn)
            raise TlsFailed(tls.describe(error, "IMAP", self.host, self.port)) from None
        except TlsFailed:
            _close(conn)
            raise
        except (OSError, imaplib.IMAP4.error) as error:
            if conn is not None:
                _close(conn)
            raise Temporary(f"could not reach the IMAP server {self.host}:{self.port}: {_text(error)}") from None
        try:
            conn.login(self.username, self.password)
        except imaplib.IMAP4.error as error:
            _close(conn)
            raise TokenInvalid(f"the IMAP server refused the login: {_text(error)}") from None
        return conn


def test_mailbox(channel: ChannelAccount) -> str:
    """Log in and open the folder ("test connection"); reads and changes nothing. Raises SendError."""
    box = Mailbox(channel)
    conn = box.connect()
    try:
        status, data = conn.select(_quote(box.folder), readonly=True)
        if status != "OK":
            raise Permanent(f"the IMAP server has no folder {box.folder!r}: {_text(data)}")
        count = int(data[0]) if data and data[0] and data[0].isdigit() else 0
    except (OSError, imaplib.IMAP4.error) as error:
        raise Temporary(f"IMAP error: {_text(error)}") from None
    finally:
        _close(conn)
    return f"IMAP {box.host}:{box.port} ({box.security}) as {box.username}: {box.folder} holds {count} messages"


def parse_cursor(value: str) -> tuple[int, int]:
    """"UIDVALIDITY:UID" -> (uidvalidity, last uid); (0, 0) when there is none yet."""
    match = re.fullmatch(r"(\d+):(\d+)", value or "")
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def poll_mailbox(channel: ChannelAccount, now: datetime | None = None) -> dict:
    """Read the new messages of `channel`'s mailbox; counts of what happened to them."""
    now = now or timezone.now()
    state, _ = PollState.objects.get_or_create(channel=channel)
    counts: Counter = Counter()
    try:
        box = Mailbox(channel)
        conn = box.connect()
        try:
            _poll(conn, box, channel, state, counts, now)
        finally:
            _close(conn)
        state.last_error = ""
    except SendError as error:
        state.last_error = error.reason[:2000]
        counts["error"] += 1
        log.warning("IMAP polling of %s failed: %s", channel, error.reason)
        from ..actions import mark_channel_problem

        mark_channel_problem(channel, error)
    except (OSError, imaplib.IMAP4.error) as error:  # the connection broke mid-poll: the cursor says where
        state.last_error = f"IMAP error: {_text(error)}"[:2000]
        counts["error"] += 1
        log.warning("IMAP polling of %s broke off: %s", channel, error)
    state.last_polled_at = now
    state.save(update_fields=["cursor_id", "last_polled_at", "last_error"])
    return dict(counts)


def _poll(conn, box: Mailbox, channel, state: PollState, counts: Counter, now) -> None:
    status, data = conn.select(_quote(box.folder))
    if status != "OK":
        raise Permanent(f"the IMAP server has no folder {box.folder!r}: {_text(data)}")
    _, validity = conn.response("UIDVALIDITY")
    uidvalidity = int(validity[0]) if validity and validity[0] else 0
    known, last = parse_cursor(state.cursor_id)
    if known != uidvalidity:
        if known:
            log.info("mailbox of %s was renumbered (UIDVALIDITY %s -> %s): reading unseen mail", channel, known, uidvalidity)
        last = 0
        criteria = ("UNSEEN",)
    else:
        criteria = ("UID", f"{last + 1}:*")
    state.cursor_id = f"{uidvalidity}:{last}"
    _, found = conn.uid("SEARCH", None, *criteria)
    # "n:*" always names the newest message, even one older than n: keep only the new ones.
    uids = sorted(uid for uid in (int(x) for x in b" ".join(found or [b""]).split()) if uid > last)
    counts["found"] = len(uids)
    mover = _mover(conn) if box.move_to else ""
    moved = False
    for uid in uids[: settings.PARLEY_IMAP_MAX_MESSAGES]:
        outcome = _take(conn, box, channel, uid, now)
        counts[outcome] += 1
        if outcome != "too_large":
            moved |= _done(conn, box, uid, mover)
        state.cursor_id = f"{uidvalidity}:{uid}"
    if moved:
        conn.expunge()


def _take(conn, box: Mailbox, channel, uid: int, now) -> str:
    """Store message `uid` as a delivery and process it; what became of it."""
    from .. import actions, processing

    _, data = conn.uid("FETCH", str(uid), "(RFC822.SIZE)")
    size = _size(data)
    limit = settings.PARLEY_IMAP_MAX_BYTES
    if size is not None and size > limit:
        header = _literal(conn.uid("FETCH", str(uid), "(BODY.PEEK[HEADER])")[1])
        actions.accept_polled_mail(channel, header, now, error=f"message of {size} bytes is over PARLEY_IMAP_MAX_BYTES "
                                                               f"({limit}); left unread in {box.folder}, header kept")
        return "too_large"
    raw = _literal(conn.uid("FETCH", str(uid), "(BODY.PEEK[])")[1])
    if not raw:
        raise Temporary(f"the IMAP server returned no body for UID {uid}")
    delivery, created = actions.accept_polled_mail(channel, raw, now)
    if not created:
        return "duplicate"
    processing.process(delivery)
    return "stored" if delivery.state == delivery.State.DONE else "dead_letter"


def _mover(conn) -> str:
    """How this server moves mail: "MOVE", "UIDPLUS" (copy, delete, expunge that UID) or "EXPUNGE"."""
    _, data = conn.capability()  # after login: servers may offer more than they did to a stranger
    offered = set(_text(data).upper().split())
    return "MOVE" if "MOVE" in offered else "UIDPLUS" if "UIDPLUS" in offered else "EXPUNGE"


def _done(conn, box: Mailbox, uid: int, mover: str = "") -> bool:
    """Mark a stored message seen, and move it when asked; True when it waits for a folder-wide EXPUNGE."""
    conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)")  # first, so it is read where it lands too
    if not box.move_to:
        return False
    if mover == "MOVE":
        status, data = conn.uid("MOVE", str(uid), _quote(box.move_to))
        if status != "OK":
            raise Permanent(f"could not move mail to {box.move_to!r}: {_text(data)}")
        return False
    status, data = conn.uid("COPY", str(uid), _quote(box.move_to))
    if status != "OK":
        raise Permanent(f"could not move mail to {box.move_to!r}: {_text(data)}")
    conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
    if mover == "UIDPLUS":
        conn.uid("EXPUNGE", str(uid))  # only this message, not others marked deleted by a person
        return False
    return True


def _size(data) -> int | None:
    for item in data or []:
        text = item[0] if isinstance(item, tuple) else item
        match = re.search(rb"RFC822\.SIZE (\d+)", text or b"")
        if match:
            return int(match.group(1))
    return None


def _literal(data) -> bytes:
    """The message bytes of a FETCH answer (imaplib gives literals as (head, bytes) tuples)."""
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return b""


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _close(conn) -> None:
    try:
        conn.logout()
    except (OSError, imaplib.IMAP4.error, socket.timeout):
        pass


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        value = b" ".join(v if isinstance(v, bytes) else str(v).encode() for v in value)
    if isinstance(value, imaplib.IMAP4.error) and value.args:
        value = value.args[0]
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
