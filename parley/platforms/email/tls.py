"""TLS for the mail servers Parley talks to (IMAP in, SMTP out): certificates are always verified.

The trust store is the system's, plus `PARLEY_MAIL_CA_FILE` when set (a PEM bundle of the private CAs
that signed an in-house mail server's certificate). Host names are always checked. There is no switch
that turns verification off: a server without a certificate Parley can verify is reached only with
security "none", which an admin chooses explicitly and which the channel page shows.
"""

from __future__ import annotations

import ssl

from django.conf import settings


def client_context() -> ssl.SSLContext:
    """A verifying client context: system CAs + PARLEY_MAIL_CA_FILE, host name checked, TLS 1.2 or newer."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.PARLEY_MAIL_CA_FILE:
        context.load_verify_locations(cafile=settings.PARLEY_MAIL_CA_FILE)
    return context


def describe(error: BaseException, server: str, host: str, port: int) -> str | None:
    """An admin-readable reason for a TLS failure, or None when `error` is not one."""
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = error.verify_message or str(error)
        if "mismatch" in detail.lower():
            hint = f"the certificate does not name {host}: enter the host name the certificate was issued for"
        else:
            hint = ("its certificate is not signed by a trusted authority: add the authority's certificate to "
                    "PARLEY_MAIL_CA_FILE (or fix the server's certificate chain)")
        return f"the {server} server {host}:{port} failed TLS certificate verification ({detail}); {hint}"
    if isinstance(error, ssl.SSLError):
        return f"TLS with the {server} server {host}:{port} failed ({error.reason or error})"
    return None
