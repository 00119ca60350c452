"""A channel that needs re-authorisation alerts the brand's admins by email, once per transition, after
the change is committed (the banner and audit event are tested in test_outbox.py)."""

from __future__ import annotations

import pytest
from django.core import mail

from parley.platforms import actions
from parley.platforms.email.imap import poll_mailbox
from parley.platforms.models import ChannelAccount
from parley.platforms.simulator.imap import ImapServer

from .test_imap import MAILBOX
from .test_imap import mail as message

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(users):
    users["admin"].email = "ada@acme.test"
    users["admin"].save()
    users["supervisor"].email = "sam@acme.test"  # not an admin: the channel is an admin's business
    users["supervisor"].save()
    return users


def test_admins_are_emailed_once_when_a_channel_needs_reauthorisation(emails, channel,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.mark_needs_reauth(channel, "X answered 401 Unauthorized")
    assert len(callbacks) == 1
    [sent] = mail.outbox
    assert sent.to == ["ada@acme.test"] and "needs re-authorisation" in sent.subject
    assert "401 Unauthorized" in sent.body and f"/b/acme/channels/{channel.pk}/" in sent.body
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_needs_reauth(channel, "X answered 401 again")  # already marked: no second mail
    assert len(mail.outbox) == 1


def test_the_alert_email_can_be_turned_off(emails, channel, settings, django_capture_on_commit_callbacks):
    settings.PARLEY_CHANNEL_ALERT_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_needs_reauth(channel, "X answered 401 Unauthorized")
    channel.refresh_from_db()
    assert channel.status == "needs_reauth" and mail.outbox == []


def test_a_refused_mailbox_login_emails_the_admins(emails, brand, django_capture_on_commit_callbacks):
    with ImapServer() as server:
        server.users[MAILBOX] = "right"
        server.deliver(message(1))
        channel = ChannelAccount(brand=brand, platform="email", external_id=MAILBOX)
        channel.set_credentials({"imap_host": "127.0.0.1", "imap_port": str(server.port), "imap_security": "none",
                                 "imap_password": "wrong"})
        channel.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert poll_mailbox(channel) == {"error": 1}
    [sent] = mail.outbox
    assert sent.to == ["ada@acme.test"] and "AUTHENTICATIONFAILED" in sent.body
