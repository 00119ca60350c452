"""A channel stopped for a reason an admin must fix shows its banner in the inbox too (admins only)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.platforms.models import ChannelAccount
from tests.web.conftest import url


def test_the_inbox_shows_admins_the_stopped_channels(client, brand, channel, users, convs):
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as healthy:
        html = client.get(url("list", brand)).content.decode()
    assert "cannot connect securely" not in html and "needs re-authorisation" not in html

    ChannelAccount.objects.filter(pk=channel.pk).update(
        status="tls_failed", status_detail="the IMAP server mail.acme.test:993 failed TLS certificate verification")
    with CaptureQueriesContext(connection) as stopped:
        html = client.get(url("list", brand)).content.decode()
    assert f"{channel} cannot connect securely." in html and "failed TLS certificate verification" in html
    assert f'href="/b/{brand.slug}/channels/{channel.pk}/"' in html and "the password is not at fault" in html
    assert len(stopped.captured_queries) == len(healthy.captured_queries)  # read with the channel filter's list
    # The list rows and the filters are still there (htmx refreshes replace the results only).
    assert 'id="inbox-results"' in html and 'name="needs_response"' in html

    ChannelAccount.objects.filter(pk=channel.pk).update(status="needs_reauth", status_detail="token refused")
    html = client.get(url("list", brand)).content.decode()
    assert f"{channel} needs re-authorisation." in html and "enter new credentials" in html

    # Agents cannot fix channels: no banner for them.
    client.force_login(users["care_agent"])
    html = client.get(url("list", brand)).content.decode()
    assert "needs re-authorisation" not in html and 'id="inbox-results"' in html
