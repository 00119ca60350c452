"""Mail over TLS: IMAP (implicit TLS and STARTTLS) and SMTP (SMTPS and STARTTLS) against the simulator's
servers with certificates made for the test, verified against PARLEY_MAIL_CA_FILE. An untrusted
certificate, a wrong host name or a server without STARTTLS marks the channel with the reason, sends no
password and loses nothing (the mail stays unread; the reply stays in the outbox to retry). Also: moving
polled mail with MOVE, with UIDPLUS, and with neither."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from parley.platforms import outbox
from parley.platforms.email.imap import poll_mailbox
from parley.platforms.models import ChannelAccount, OutboxItem, PollState
from parley.platforms.simulator.imap import ImapServer
from parley.platforms.simulator.smtp import SmtpServer
from parley.platforms.simulator.tls import issue

from .conftest import deliver
from .test_imap import MAILBOX, mail

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The mail server's CA and a certificate for "localhost" (not for 127.0.0.1)."""
    return issue(tmp_path_factory.mktemp("pki"), ("localhost",), prefix="mail")


@pytest.fixture(scope="module")
def rogue(tmp_path_factory):
    """A certificate for "localhost" from an authority nobody trusts."""
    return issue(tmp_path_factory.mktemp("rogue"), ("localhost",), prefix="rogue")


@pytest.fixture
def trusted(settings, pki):
    settings.PARLEY_MAIL_CA_FILE = str(pki.ca_file)
    settings.PARLEY_PLATFORM_TIMEOUT_SECONDS = 5
    return pki


def imap_channel(brand, server, security: str, host: str = "localhost") -> ChannelAccount:
    channel = ChannelAccount(brand=brand, platform="email", external_id=MAILBOX, handle="support")
    channel.set_credentials({"imap_host": host, "imap_port": str(server.port), "imap_security": security,
                             "imap_username": MAILBOX, "imap_password": "imap-pw"})
    channel.save()
    return channel


def serve_imap(pki, tls, **kw) -> ImapServer:
    server = ImapServer(tls=tls, ssl_context=pki.server_context() if tls else None, **kw).start()
    server.users[MAILBOX] = "imap-pw"
    return server


@pytest.mark.parametrize("tls,security", [("implicit", "ssl"), ("starttls", "starttls")])
def test_imap_over_tls_with_the_ca_trusted(brand, trusted, tls, security):
    server = serve_imap(trusted, tls)
    try:
        channel = imap_channel(brand, server, security)
        uid = server.deliver(mail(1))
        assert poll_mailbox(channel) == {"found": 1, "stored": 1}
        assert Post.objects.get().platform_id == "<m1@example.net>" and "\\Seen" in server.flags(uid)
        if tls == "starttls":  # the password went only after the upgrade
            assert server.commands.index("STARTTLS") < server.commands.index("LOGIN")
        channel.refresh_from_db()
        assert channel.status == "active" and PollState.objects.get(channel=channel).last_error == ""
    finally:
        server.stop()


def _refused(channel, server, uid) -> str:
    """The poll failed, the channel is marked with the reason, no password was sent, the mail is unread."""
    assert poll_mailbox(channel) == {"error": 1}
    channel.refresh_from_db()
    assert channel.status == "tls_failed"  # the server's TLS, not the password: never "needs re-authorisation"
    assert "LOGIN" not in server.commands
    assert "\\Seen" not in server.flags(uid) and len(server.folders["INBOX"].messages) == 1
    assert not Post.objects.exists()
    assert channel.status_detail and channel.status_detail in PollState.objects.get(channel=channel).last_error
    return channel.status_detail


@pytest.mark.parametrize("tls,security", [("implicit", "ssl"), ("starttls", "starttls")])
def test_imap_untrusted_certificate_is_refused(brand, trusted, rogue, tls, security):
    server = serve_imap(rogue, tls)  # signed by an authority that is not in PARLEY_MAIL_CA_FILE
    try:
        channel = imap_channel(brand, server, security)
        uid = server.deliver(mail(1))
        reason = _refused(channel, server, uid)
        assert "failed TLS certificate verification" in reason and "PARLEY_MAIL_CA_FILE" in reason
        assert "unable to get local issuer certificate" in reason
    finally:
        server.stop()


def test_imap_wrong_host_name_is_refused(brand, trusted):
    server = serve_imap(trusted, "implicit")
    try:
        channel = imap_channel(brand, server, "ssl", host="127.0.0.1")  # the certificate names localhost
        uid = server.deliver(mail(1))
        reason = _refused(channel, server, uid)
        assert "mismatch" in reason and "does not name 127.0.0.1" in reason
    finally:
        server.stop()


def test_imap_without_the_ca_file_trusts_only_the_system(brand, settings, pki):
    settings.PARLEY_MAIL_CA_FILE = ""
    server = serve_imap(pki, "implicit")
    try:
        channel = imap_channel(brand, server, "ssl")
        uid = server.deliver(mail(1))
        assert "failed TLS certificate verification" in _refused(channel, server, uid)
    finally:
        server.stop()


def test_imap_starttls_not_offered_is_refused_not_downgraded(brand, trusted):
    server = serve_imap(trusted, None)  # a plain-text server
    try:
        channel = imap_channel(brand, server, "starttls")
        uid = server.deliver(mail(1))
        reason = _refused(channel, server, uid)
        assert "does not offer STARTTLS" in reason and "plain text" in reason
    finally:
        server.stop()


def test_a_marked_channel_comes_back_when_the_admin_saves_its_settings(brand, trusted, rogue):
    """The fix (a CA added, the host corrected) is confirmed by saving the channel: polling resumes."""
    from parley.platforms import actions, periodic

    server = serve_imap(rogue, "implicit")
    try:
        channel = imap_channel(brand, server, "ssl")
        server.deliver(mail(1))
        poll_mailbox(channel)
        channel.refresh_from_db()
        assert channel not in list(periodic.pollable_channels())
        server.ssl_context = trusted.server_context()  # the server now presents a trusted certificate
        actions.set_channel_credentials(channel, channel.get_credentials(), None)
        assert poll_mailbox(channel) == {"found": 1, "stored": 1}
    finally:
        server.stop()


# --- moving polled mail ------------------------------------------------------------------------


@pytest.mark.parametrize("extensions,expected", [
    (("MOVE", "UIDPLUS"), ["UID STORE", "UID MOVE"]),  # STORE: \\Seen, no \\Deleted
    (("UIDPLUS",), ["UID COPY", "UID STORE", "UID EXPUNGE"]),
    ((), ["UID COPY", "UID STORE", "EXPUNGE"]),
])
def test_moving_mail_with_move_with_uidplus_and_with_neither(brand, extensions, expected):
    with ImapServer(extensions=extensions) as server:
        server.users[MAILBOX] = "imap-pw"
        channel = imap_channel(brand, server, "none", host="127.0.0.1")
        channel.set_credentials({**channel.get_credentials(), "imap_move_to": "Parley/Done"})
        channel.save()
        kept = server.deliver(mail(0), flags={"\\Seen", "\\Deleted"})  # a person deleted it, not yet expunged
        server.deliver(mail(1))
        server.deliver(mail(2))
        assert poll_mailbox(channel) == {"found": 2, "stored": 2}
        done = server.folders["Parley/Done"].messages
        assert [m.raw.split(b"Message-ID: ")[1][:15] for m in done] == [b"<m1@example.net", b"<m2@example.net"]
        assert all("\\Seen" in m.flags and "\\Deleted" not in m.flags for m in done)
        used = [c for c in server.commands if c in ("UID MOVE", "UID COPY", "UID STORE", "UID EXPUNGE", "EXPUNGE")]
        assert sorted(set(used)) == sorted(expected)
        left = [m.uid for m in server.folders["INBOX"].messages]
        # Only a server without UIDPLUS makes Parley expunge the whole folder (the person's deletion too).
        assert left == ([] if expected[-1] == "EXPUNGE" else [kept])
        assert Post.objects.count() == 2


# --- SMTP ---------------------------------------------------------------------------------------

MAIL = (b"From: Jane Customer <jane@example.org>\nTo: support@acme.test\nSubject: Order 4411\n"
        b"Date: Mon, 15 Jan 2024 10:30:05 +0000\nMessage-ID: <abc123@example.org>\n\nWhere is my parcel?\n")


def serve_smtp(pki, tls) -> SmtpServer:
    server = SmtpServer(tls=tls, ssl_context=pki.server_context() if tls else None).start()
    server.users["support@acme.test"] = "smtp-pw"
    return server


def smtp_channel(brand, server, security, host="localhost") -> ChannelAccount:
    channel = ChannelAccount(brand=brand, platform="email", external_id="support@acme.test", handle="support")
    channel.set_credentials({"smtp_host": host, "smtp_port": str(server.port), "smtp_security": security,
                             "smtp_username": "support@acme.test", "smtp_password": "smtp-pw"})
    channel.save()
    return channel


def _reply(client) -> Post:
    deliver(client, "email", MAIL)
    return inbox.create_reply(Conversation.objects.get(), "Hi Jane, a new parcel left today.", "agent")


@pytest.mark.parametrize("tls,security", [("implicit", "ssl"), ("starttls", "starttls")])
def test_smtp_over_tls_with_the_ca_trusted(client, brand, trusted, tls, security):
    server = serve_smtp(trusted, tls)
    try:
        smtp_channel(brand, server, security)
        reply = _reply(client)
        assert outbox.run(OutboxItem.objects.get(post=reply).pk) == "sent"
        assert server.parsed().get_content().strip() == "Hi Jane, a new parcel left today."
    finally:
        server.stop()


@pytest.mark.parametrize("case", ["untrusted", "wrong_host", "no_starttls"])
def test_smtp_tls_failures_mark_the_channel_and_keep_the_reply(client, brand, trusted, rogue, case):
    server = serve_smtp(rogue if case == "untrusted" else trusted, None if case == "no_starttls" else "starttls")
    try:
        channel = smtp_channel(brand, server, "starttls", host="127.0.0.1" if case == "wrong_host" else "localhost")
        reply = _reply(client)
        item = OutboxItem.objects.get(post=reply)
        assert outbox.run(item.pk) == "failed"
        assert server.messages == []
        channel.refresh_from_db()
        reply.refresh_from_db()
        assert channel.status == "tls_failed" and reply.delivery_error
        expected = {"untrusted": "unable to get local issuer certificate", "wrong_host": "mismatch",
                    "no_starttls": "does not offer STARTTLS"}[case]
        assert expected in channel.status_detail
        item.refresh_from_db()
        assert item.state == "failed"  # kept, with the retry action, once the admin fixed the channel
    finally:
        server.stop()


def test_smtp_security_defaults_follow_the_port():
    from parley.platforms.email.client import security_for

    assert security_for({}, 587) == "starttls" and security_for({}, 465) == "ssl" and security_for({}, 25) == "none"
    assert security_for({"smtp_tls": "false"}, 587) == "none" and security_for({"smtp_security": "SSL"}, 2525) == "ssl"


def test_a_missing_ca_file_stops_start_up(tmp_path):
    env = {**os.environ, "PARLEY_MAIL_CA_FILE": str(tmp_path / "absent.pem"), "DJANGO_SETTINGS_MODULE": "parley.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "PARLEY_MAIL_CA_FILE" in result.stderr and "not a readable file" in result.stderr


# --- test connection ----------------------------------------------------------------------------


def test_test_connection_logs_in_to_smtp_and_imap_over_tls(client, users, brand, trusted, rogue):
    smtp = serve_smtp(trusted, "starttls")
    good = serve_imap(trusted, "implicit")
    bad = serve_imap(rogue, "implicit")
    try:
        channel = smtp_channel(brand, smtp, "starttls")
        channel.set_credentials({**channel.get_credentials(), "imap_host": "localhost", "imap_port": str(good.port),
                                 "imap_security": "ssl", "imap_username": MAILBOX, "imap_password": "imap-pw"})
        channel.save()
        good.deliver(mail(1))
        client.force_login(users["admin"])
        page = client.post(f"/b/acme/channels/{channel.pk}/test/", follow=True).content.decode()
        assert f"Connected to localhost:{smtp.port} (starttls) as support@acme.test" in page
        assert f"IMAP localhost:{good.port} (ssl) as {MAILBOX}: INBOX holds 1 messages" in page
        assert "\\Seen" not in good.flags(1)  # the test reads nothing
        channel.set_credentials({**channel.get_credentials(), "imap_port": str(bad.port)})
        channel.save()
        page = client.post(f"/b/acme/channels/{channel.pk}/test/", follow=True).content.decode()
        assert "Test failed: the IMAP server localhost:" in page and "failed TLS certificate verification" in page
    finally:
        for server in (smtp, good, bad):
            server.stop()


@pytest.mark.parametrize("security,ports", [("ssl", (18230, 18231, 18232)), ("starttls", (18233, 18234, 18235))])
def test_parley_simulate_serves_its_mailbox_over_tls_with_the_ca_it_prints(brand, settings, tmp_path, security,
                                                                            ports):
    """`parley simulate --mail-tls ssl|starttls` prints the CA file; with it as PARLEY_MAIL_CA_FILE Parley
    polls the mailbox and logs in to SMTP with verified TLS (and without it, verification fails)."""
    import io
    import re
    import smtplib
    import threading
    import time

    from django.core.management import call_command

    from parley.platforms.email import tls

    api_port, imap_port, smtp_port = ports
    out = io.StringIO()
    thread = threading.Thread(target=call_command, args=("simulate",), daemon=True, kwargs={
        "port": api_port, "imap_port": imap_port, "smtp_port": smtp_port, "mail_count": 3, "mailbox": MAILBOX,
        "mail_password": "imap-pw", "mail_tls": security, "mail_cert_dir": str(tmp_path), "seconds": 6,
        "stdout": out})
    thread.start()
    for _ in range(200):
        if "SMTP at" in out.getvalue():
            break
        time.sleep(0.05)
    printed = re.search(r"PARLEY_MAIL_CA_FILE=(\S+)", out.getvalue())
    assert printed and printed.group(1).startswith(str(tmp_path)), out.getvalue()
    assert f"security {security}" in out.getvalue()

    channel = ChannelAccount(brand=brand, platform="email", external_id=MAILBOX)
    channel.set_credentials({"imap_host": "localhost", "imap_port": str(imap_port), "imap_security": security,
                             "imap_password": "imap-pw"})
    channel.save()
    settings.PARLEY_PLATFORM_TIMEOUT_SECONDS = 5
    settings.PARLEY_MAIL_CA_FILE = ""
    poll_mailbox(channel)  # the system's CAs alone do not trust it: refused, nothing read
    channel.refresh_from_db()
    assert Post.objects.count() == 0 and "certificate" in channel.status_detail

    settings.PARLEY_MAIL_CA_FILE = printed.group(1)
    channel.status, channel.status_detail = ChannelAccount.Status.ACTIVE, ""
    channel.save()
    assert poll_mailbox(channel) == {"found": 3, "stored": 3}
    if security == "ssl":
        smtp = smtplib.SMTP_SSL("localhost", smtp_port, context=tls.client_context(), timeout=5)
    else:
        smtp = smtplib.SMTP("localhost", smtp_port, timeout=5)
        smtp.starttls(context=tls.client_context())
    with smtp:
        assert smtp.login(MAILBOX, "imap-pw")[0] == 235
    thread.join(timeout=10)


def test_a_tls_failure_is_its_own_status_on_the_pages_and_in_the_alert_not_reauthorisation(
        client, brand, users, trusted, rogue, django_capture_on_commit_callbacks):
    """The channel list and page say the secure connection failed and to check the server and its
    certificate (not to enter a password); the admins' email says the same; a passing connection test
    after the fix makes the channel active again. A refused password still means re-authorisation."""
    from django.core import mail as outbox_mail

    users["admin"].email = "ada@acme.test"
    users["admin"].save()
    server = serve_imap(rogue, "implicit")
    try:
        channel = imap_channel(brand, server, "ssl")
        server.deliver(mail(1))
        with django_capture_on_commit_callbacks(execute=True):
            assert poll_mailbox(channel) == {"error": 1}
        channel.refresh_from_db()
        assert channel.status == "tls_failed" and channel.get_status_display() == "Secure connection failed"
        [alert] = outbox_mail.outbox
        assert "cannot connect securely" in alert.subject and "re-authorisation" not in alert.subject
        assert "not at fault" in alert.body and "PARLEY_MAIL_CA_FILE" in alert.body

        client.force_login(users["admin"])
        listing = client.get("/b/acme/channels/").content.decode()
        assert "cannot connect securely" in listing and "Secure connection failed" in listing
        assert "needs re-authorisation" not in listing and "enter new credentials" not in listing
        page = client.get(f"/b/acme/channels/{channel.pk}/").content.decode()
        assert "Secure connection failed." in page and "password is not at fault" in page
        assert "Needs re-authorisation" not in page

        # A test against the same untrusted server fails and changes nothing ...
        client.post(f"/b/acme/channels/{channel.pk}/test/")
        channel.refresh_from_db()
        assert channel.status == "tls_failed"
    finally:
        server.stop()
    # ... and once the server has a certificate Parley trusts, a passing test puts the channel back to work.
    fixed = serve_imap(trusted, "implicit")
    try:
        creds = channel.get_credentials()
        creds["imap_port"] = str(fixed.port)
        channel.set_credentials(creds)
        ChannelAccount.objects.filter(pk=channel.pk).update(credentials_encrypted=channel.credentials_encrypted)
        response = client.post(f"/b/acme/channels/{channel.pk}/test/", follow=True)
        assert "active again" in response.content.decode()
        channel.refresh_from_db()
        assert channel.status == "active" and channel.status_detail == ""
        # A wrong password is the other status.
        fixed.users[MAILBOX] = "changed"
        assert poll_mailbox(channel) == {"error": 1}
        channel.refresh_from_db()
        assert channel.status == "needs_reauth" and "refused the login" in channel.status_detail
    finally:
        fixed.stop()
