"""Email: raw messages in through the signed webhook, threaded by Message-ID; replies out over SMTP
to a real (loopback) SMTP server, with In-Reply-To, and the SMTP errors mapped."""

from __future__ import annotations

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from parley.platforms import outbox
from parley.platforms.base import ParseError
from parley.platforms.email.parse import parse
from parley.platforms.models import ChannelAccount, OutboxItem
from parley.platforms.simulator.smtp import SmtpServer

from .conftest import deliver, signed_post

MAIL = b"""From: Jane Customer <Jane@example.org>
To: Support <support@acme.test>
Subject: Order 4411 never arrived
Date: Mon, 15 Jan 2024 10:30:05 +0000
Message-ID: <abc123@example.org>
Content-Type: text/plain; charset=utf-8

Hello, as discussed on X: order 4411 never arrived.
"""

FOLLOW_UP = b"""From: Jane Customer <jane@example.org>
To: support@acme.test
Subject: Re: Order 4411 never arrived
Date: Mon, 15 Jan 2024 12:00:00 +0000
Message-ID: <def456@example.org>
In-Reply-To: {parent}
References: <abc123@example.org> {parent}
Content-Type: text/html; charset=utf-8

<p>Thanks, it came today!</p><script>alert(1)</script>
"""


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    server.users["support@acme.test"] = "smtp-pw"
    yield server
    server.stop()


@pytest.fixture
def mail_channel(brand, smtp):
    channel = ChannelAccount(brand=brand, platform="email", external_id="support@acme.test", handle="support")
    channel.set_credentials({"smtp_host": "127.0.0.1", "smtp_port": str(smtp.port), "smtp_username": "support@acme.test",
                             "smtp_password": "smtp-pw", "smtp_tls": "false"})
    channel.save()
    return channel


def test_parse_reads_headers_and_plain_text():
    [event] = parse(MAIL)
    post = event.post
    assert event.account_id == "support@acme.test" and post.platform_id == "<abc123@example.org>"
    assert post.author.platform_user_id == "jane@example.org" and post.author.first_name == "Jane"
    assert post.kind == "email" and post.text.startswith("Order 4411 never arrived\n\nHello, as discussed")
    with pytest.raises(ParseError):
        parse(b"Subject: no id\n\nbody")
    with pytest.raises(ParseError):
        parse(b"")


@pytest.mark.django_db
def test_mail_in_reply_out_and_the_answer_threads(client, mail_channel, smtp):
    assert signed_post(client, "email", MAIL, content_type="message/rfc822").status_code == 200
    deliver(client, "email", MAIL)  # processes it (and is a redelivery: one delivery, one post)
    first = Post.objects.get()
    assert first.visibility == "private" and first.channel == mail_channel

    reply = inbox.create_reply(first.conversation, "Hi Jane, sorry! A new parcel left today.", "agent")
    assert outbox.run(OutboxItem.objects.get(post=reply).pk) == "sent"
    sender, recipients, _ = smtp.messages[-1]
    assert sender == "support@acme.test" and recipients == ["jane@example.org"]
    sent = smtp.parsed()
    assert sent["In-Reply-To"] == "<abc123@example.org>" and sent["Subject"] == "Re: Order 4411 never arrived"
    assert sent.get_content().strip() == "Hi Jane, sorry! A new parcel left today."
    reply.refresh_from_db()
    assert reply.platform_id == sent["Message-ID"] and reply.delivery_status == "sent"

    deliver(client, "email", FOLLOW_UP.replace(b"{parent}", sent["Message-ID"].encode()))
    answer = Post.objects.get(platform_id="<def456@example.org>")
    assert answer.conversation_id == first.conversation_id and answer.parent_id == reply.pk
    assert answer.text == "Thanks, it came today!"  # HTML-only mail kept as text, script dropped
    assert Conversation.objects.count() == 1


@pytest.mark.django_db
def test_smtp_errors(client, mail_channel, smtp):
    deliver(client, "email", MAIL)
    conversation = Conversation.objects.get()
    smtp.refused.add("jane@example.org")
    refused = inbox.create_reply(conversation, "one", "agent", idempotency_key="k1")
    assert outbox.run(OutboxItem.objects.get(post=refused).pk) == "failed"
    refused.refresh_from_db()
    assert "550" in refused.delivery_error
    smtp.refused.clear()
    smtp.down = True
    later = inbox.create_reply(conversation, "two", "agent", idempotency_key="k2")
    assert outbox.run(OutboxItem.objects.get(post=later).pk) == "retry"
    smtp.down = False
    smtp.users["support@acme.test"] = "changed"
    locked = inbox.create_reply(conversation, "three", "agent", idempotency_key="k3")
    assert outbox.run(OutboxItem.objects.get(post=locked).pk) == "failed"
    mail_channel.refresh_from_db()
    assert mail_channel.status == "needs_reauth" and "535" in mail_channel.status_detail


@pytest.mark.django_db
def test_unsigned_mail_is_refused(client, mail_channel):
    response = client.post("/hooks/email/", data=MAIL, content_type="message/rfc822", HTTP_X_PARLEY_SIGNATURE="sha256=00")
    assert response.status_code == 403 and not Post.objects.exists()
