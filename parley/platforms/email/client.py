"""Outbound email over SMTP, threaded into the customer's mail (In-Reply-To / References).

Security (`smtp_security`): "starttls" (the default on any port but 25 and 465; refused when the server
does not offer it, never continued in plain text), "ssl" (implicit TLS, SMTPS; the default on 465) or
"none" (plain text, the default on 25, or when the older `smtp_tls` credential is "false").
Certificates and host names are always verified (`tls.py`); a TLS failure marks the channel.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

from ..base import Client, Permanent, Refused, Sent, SendContext, Temporary, TlsFailed, TokenInvalid, stored_id
from . import tls


class _VerifyingBackend(EmailBackend):
    """Django's SMTP backend with Parley's verifying TLS context (system CAs + PARLEY_MAIL_CA_FILE)."""

    @property
    def ssl_context(self):
        return tls.client_context()


def security_for(creds: dict, port: int) -> str:
    chosen = (creds.get("smtp_security") or "").strip().lower()
    if chosen:
        if chosen not in ("ssl", "starttls", "none"):
            raise Refused("the email channel's SMTP security must be ssl, starttls or none")
        return chosen
    if port == 25 or creds.get("smtp_tls", "true").lower() == "false":
        return "none"
    return "ssl" if port == 465 else "starttls"


class EmailClient(Client):
    platform = "email"

    def __init__(self, channel):
        self.channel = channel
        creds = channel.get_credentials()
        self.host = creds.get("smtp_host", "")
        self.imap = bool(creds.get("imap_host"))
        if not self.host and not self.imap:
            raise Refused("the email channel has no SMTP server; enter it on the Channels page")
        try:
            self.port = int(creds.get("smtp_port") or 587)
        except ValueError:
            raise Refused("the email channel's SMTP port is not a number") from None
        self.username = creds.get("smtp_username", "")
        self.password = creds.get("smtp_password", "")
        self.security = security_for(creds, self.port)

    def _connection(self):
        return _VerifyingBackend(host=self.host, port=self.port, username=self.username or None,
                                 password=self.password or None, use_tls=self.security == "starttls",
                                 use_ssl=self.security == "ssl", timeout=settings.PARLEY_PLATFORM_TIMEOUT_SECONDS,
                                 fail_silently=False)

    def _tls_refused(self, error: Exception) -> TlsFailed | None:
        """A TLS failure as a reason for the admin (the channel is marked), or None."""
        if isinstance(error, smtplib.SMTPNotSupportedError) and self.security == "starttls":
            return TlsFailed(f"the SMTP server {self.host}:{self.port} does not offer STARTTLS; Parley will not "
                                "send the password or mail in plain text (use security ssl, or ask for TLS on the server)")
        reason = tls.describe(error, "SMTP", self.host, self.port) if isinstance(error, ssl.SSLError) else None
        return TlsFailed(reason) if reason else None

    def send(self, post, context: SendContext) -> Sent:
        if not self.host:
            raise Refused("the email channel has no SMTP server; enter it on the Channels page")
        to = context.recipient_id
        if not to or "@" not in to:
            raise Refused("no customer email address to write to")
        mailbox = self.channel.external_id
        message_id = make_msgid(domain=mailbox.split("@")[-1])
        subject = (post.conversation.subject or "Your message").splitlines()[0][:150]
        headers = {"Message-ID": message_id}
        parent = (post.parent.raw or {}).get("message_id") if post.parent is not None and isinstance(post.parent.raw, dict) else ""
        if parent:
            headers["In-Reply-To"] = parent
            headers["References"] = parent
        message = EmailMessage(subject=subject if subject.lower().startswith("re:") else f"Re: {subject}",
                               body=post.text, from_email=mailbox, to=[to], headers=headers)
        try:
            self._connection().send_messages([message])
        except smtplib.SMTPAuthenticationError as error:
            raise TokenInvalid(f"the SMTP server refused the login: {error.smtp_code} {_text(error.smtp_error)}") from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = ", ".join(f"{code} {_text(msg)}" for code, msg in error.recipients.values())
            raise Permanent(f"the SMTP server refused the recipient: {codes}") from None
        except smtplib.SMTPResponseException as error:
            cls = Temporary if 400 <= error.smtp_code < 500 else Permanent
            raise cls(f"the SMTP server answered {error.smtp_code} {_text(error.smtp_error)}") from None
        except (smtplib.SMTPException, socket.timeout, OSError) as error:
            raise self._tls_refused(error) or Temporary(f"could not reach the SMTP server: {error}") from None
        return Sent(stored_id(message_id), "", {"message_id": message_id})

    def test_connection(self) -> str:
        """Log in to the SMTP server and, when the channel polls a mailbox, to the IMAP server too."""
        lines = [self._test_smtp()] if self.host else []
        if self.imap:
            from .imap import test_mailbox

            lines.append(test_mailbox(self.channel))
        return "; ".join(lines)

    def _test_smtp(self) -> str:
        connection = self._connection()
        try:
            connection.open()
            connection.close()
        except smtplib.SMTPAuthenticationError as error:
            raise TokenInvalid(f"the SMTP server refused the login: {error.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise self._tls_refused(error) or Temporary(f"could not reach the SMTP server: {error}") from None
        return f"Connected to {self.host}:{self.port} ({self.security}) as {self.username or '(no login)'}"


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
