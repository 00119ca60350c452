"""Inbound mail by IMAP polling against the simulator's IMAP server (a real socket, real imaplib):
only new messages, the UIDVALIDITY + UID cursor, seen or moved, the size cap, dead letters, threading
with webhook mail, wrong passwords, and the periodic job."""

from __future__ import annotations

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from parley.platforms import outbox, periodic
from parley.platforms.email.imap import parse_cursor, poll_mailbox
from parley.platforms.models import ChannelAccount, OutboxItem, PollState, WebhookDelivery
from parley.platforms.simulator.imap import ImapServer
from parley.platforms.simulator.smtp import SmtpServer

from .conftest import deliver

pytestmark = pytest.mark.django_db

MAILBOX = "support@acme.test"


def mail(n: int, *, to: str = MAILBOX, reply_to: str = "", subject: str = "Parcel missing") -> bytes:
    threading = f"In-Reply-To: {reply_to}\nReferences: {reply_to}\n" if reply_to else ""
    return (
        f"From: Rosa Customer <rosa@example.net>\nTo: {to}\nSubject: {subject}\n"
        f"Date: Tue, 16 Jan 2024 09:0{n % 10}:00 +0000\nMessage-ID: <m{n}@example.net>\n{threading}"
        f"Content-Type: text/plain; charset=utf-8\n\nMessage number {n} about my parcel.\n"
    ).encode()


@pytest.fixture
def imap():
    with ImapServer() as server:
        server.users[MAILBOX] = "imap-pw"
        yield server


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    server.users[MAILBOX] = "imap-pw"
    yield server
    server.stop()


def _channel(brand, imap, smtp=None, **extra) -> ChannelAccount:
    channel = ChannelAccount(brand=brand, platform="email", external_id=MAILBOX, handle="support")
    creds = {"imap_host": "127.0.0.1", "imap_port": str(imap.port), "imap_security": "none",
             "imap_username": MAILBOX, "imap_password": "imap-pw", **extra}
    if smtp is not None:
        creds.update({"smtp_host": "127.0.0.1", "smtp_port": str(smtp.port), "smtp_username": MAILBOX,
                      "smtp_password": "imap-pw", "smtp_tls": "false"})
    channel.set_credentials(creds)
    channel.save()
    return channel


def test_new_mail_is_read_once_and_marked_seen(brand, imap):
    channel = _channel(brand, imap)
    old = imap.deliver(mail(0), flags={"\\Seen"})  # read by a person before Parley was connected
    first, second = imap.deliver(mail(1)), imap.deliver(mail(2, to="help@acme.test"))  # an alias forwarded here
    counts = poll_mailbox(channel)
    assert counts == {"found": 2, "stored": 2}
    assert set(Post.objects.values_list("platform_id", flat=True)) == {"<m1@example.net>", "<m2@example.net>"}
    assert all(p.channel_id == channel.pk and p.visibility == "private" for p in Post.objects.all())
    assert "\\Seen" in imap.flags(first) and "\\Seen" in imap.flags(second) and old == 1
    state = PollState.objects.get(channel=channel)
    assert parse_cursor(state.cursor_id) == (1, second) and state.last_error == ""
    # Bodies are read with BODY.PEEK[], and a second poll asks only for UIDs above the cursor.
    assert poll_mailbox(channel) == {"found": 0}
    third = imap.deliver(mail(3))
    assert poll_mailbox(channel) == {"found": 1, "stored": 1}
    assert parse_cursor(PollState.objects.get(channel=channel).cursor_id) == (1, third)
    assert Post.objects.count() == 3


def test_a_renumbered_mailbox_starts_over_without_duplicates(brand, imap):
    channel = _channel(brand, imap)
    imap.deliver(mail(1))
    poll_mailbox(channel)
    imap.renumber()  # UIDVALIDITY changes: the old cursor means nothing
    imap.deliver(mail(2))
    imap.deliver(mail(1))  # the same message again, unseen (restored from a backup, say)
    counts = poll_mailbox(channel)
    assert counts["stored"] == 1 and counts["duplicate"] == 1
    assert parse_cursor(PollState.objects.get(channel=channel).cursor_id)[0] == 2
    assert Post.objects.count() == 2


def test_processed_mail_can_be_moved(brand, imap):
    channel = _channel(brand, imap, imap_move_to="Parley/Done")
    imap.deliver(mail(1))
    imap.deliver(mail(2))
    assert poll_mailbox(channel)["stored"] == 2
    assert imap.folders["INBOX"].messages == []
    assert len(imap.folders["Parley/Done"].messages) == 2


def test_oversized_and_unreadable_mail_become_dead_letters(brand, imap, settings):
    settings.PARLEY_IMAP_MAX_BYTES = 2000
    channel = _channel(brand, imap)
    big = imap.deliver(mail(1).replace(b"Message number 1", b"x" * 5000))
    bad = imap.deliver(b"Subject: no Message-ID or sender\n\nhello\n")
    good = imap.deliver(mail(3))
    counts = poll_mailbox(channel)
    assert counts == {"found": 3, "too_large": 1, "dead_letter": 1, "stored": 1}
    dead = {d.error.split(":")[0].split(" ")[0]: d for d in WebhookDelivery.objects.filter(state="dead")}
    assert set(dead) == {"message", "unparseable"}
    assert b"Message-ID: <m1@example.net>" in bytes(dead["message"].body) and b"xxxx" not in bytes(dead["message"].body)
    assert "\\Seen" not in imap.flags(big)  # left for a person to read
    assert "\\Seen" in imap.flags(bad) and "\\Seen" in imap.flags(good)
    assert Post.objects.count() == 1


def test_wrong_password_asks_for_reauthorisation(brand, imap):
    channel = _channel(brand, imap, imap_password="wrong")
    imap.deliver(mail(1))
    assert poll_mailbox(channel) == {"error": 1}
    channel.refresh_from_db()
    assert channel.status == "needs_reauth" and "AUTHENTICATIONFAILED" in channel.status_detail
    assert not Post.objects.exists()
    # Not polled again until an admin enters new credentials.
    assert channel not in list(periodic.pollable_channels())


def test_unreachable_server_keeps_the_cursor(brand, imap):
    channel = _channel(brand, imap)
    imap.deliver(mail(1))
    poll_mailbox(channel)
    cursor = PollState.objects.get(channel=channel).cursor_id
    imap.down = True
    assert poll_mailbox(channel) == {"error": 1}
    state = PollState.objects.get(channel=channel)
    assert state.cursor_id == cursor and state.last_error
    imap.down = False
    imap.deliver(mail(2))
    assert poll_mailbox(channel)["stored"] == 1


def test_polled_mail_threads_with_webhook_mail_and_replies(client, brand, imap, smtp):
    """The customer writes through the relay webhook, our answer goes out by SMTP, their answer to it is
    read from the mailbox: one conversation."""
    channel = _channel(brand, imap, smtp)
    deliver(client, "email", mail(1))
    first = Post.objects.get()
    reply = inbox.create_reply(first.conversation, "Sorry Rosa, a new parcel is on its way.", "agent")
    assert outbox.run(OutboxItem.objects.get(post=reply).pk) == "sent"
    sent_id = smtp.parsed()["Message-ID"]
    imap.deliver(mail(2, reply_to=sent_id, subject="Re: Parcel missing"))
    assert periodic.poll_channels(None) == "1 channels polled, 0 failed"
    answer = Post.objects.get(platform_id="<m2@example.net>")
    assert answer.conversation_id == first.conversation_id and answer.parent_id == reply.pk
    assert Conversation.objects.count() == 1 and answer.channel == channel


def test_email_channels_without_imap_are_not_polled(brand, imap):
    webhook_only = ChannelAccount(brand=brand, platform="email", external_id="sales@acme.test")
    webhook_only.set_credentials({"smtp_host": "127.0.0.1"})
    webhook_only.save()
    polled = _channel(brand, imap)
    assert list(periodic.pollable_channels()) == [polled]


def test_parley_simulate_serves_a_mailbox_that_parley_polls(brand):
    import socket
    import threading
    import time

    from django.core.management import call_command

    imap_port = 18721
    thread = threading.Thread(target=call_command, args=("simulate",), daemon=True,
                              kwargs={"port": 18720, "imap_port": imap_port, "mail_count": 5,
                                      "mailbox": MAILBOX, "mail_password": "imap-pw", "seconds": 4})
    thread.start()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", imap_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    channel = ChannelAccount(brand=brand, platform="email", external_id=MAILBOX)
    channel.set_credentials({"imap_host": "127.0.0.1", "imap_port": str(imap_port), "imap_security": "none",
                             "imap_password": "imap-pw"})
    channel.save()
    assert poll_mailbox(channel) == {"found": 5, "stored": 5}
    posts = Post.objects.filter(channel=channel)
    assert posts.count() == 5 and all(p.author.platform_user_id.endswith("@customers.example") for p in posts)
    thread.join(timeout=10)
