"""The audit-log browser: admins only, filters, keyset pages, links, CSV of the filtered view."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.urls import reverse

from parley.customers.auditlog import AuditFilter, page
from parley.inbox.audit import record
from parley.inbox.models import AuditEvent

pytestmark = pytest.mark.django_db


def u(name, **params):
    from urllib.parse import urlencode

    return reverse(f"customers:{name}", kwargs={"brand": "acme"}) + ("?" + urlencode(params) if params else "")


def test_filter_parses_and_reports_bad_values():
    f = AuditFilter.from_params({"since": "2026-11-01", "until": "nope", "conversation": "C-000042", "customer": "x1"})
    assert f.since == date(2026, 11, 1) and f.until is None and f.conversation == 42 and f.customer is None
    assert len(f.errors) == 2


@pytest.mark.parametrize("role", ["supervisor", "care_agent", "viewer"])
def test_only_admins_browse(world, users, client, role):
    client.force_login(users[role])
    assert client.get(u("audit")).status_code == 403
    assert client.get(u("audit_csv")).status_code == 403


def verbs(response) -> set[str]:
    """The actions listed in the page's table."""
    return set(re.findall(r"<td><code>([\w.]+)</code></td>", response.content.decode()))


def test_filters_narrow_the_view_and_link_to_objects(world, users, client):
    client.force_login(users["admin"])
    everything = verbs(client.get(u("audit")))
    assert "customer.merged" in everything and "note.added" in everything
    only_merges = verbs(client.get(u("audit", verb="customer.merged")))
    assert only_merges == {"customer.merged"}
    customer_prefix = verbs(client.get(u("audit", verb="customer.")))
    assert "customer.merged" in customer_prefix and all(v.startswith("customer.") for v in customer_prefix)
    by_actor = verbs(client.get(u("audit", actor="ada")))
    assert "reply.created" in by_actor and "conversation.created" not in by_actor  # that one was "ingest"
    conv = world.conversations[0]
    response = client.get(u("audit", conversation=conv.ref))
    in_conv = response.content.decode()
    assert "callback.requested" in verbs(response) and "customer.merged" not in verbs(response)
    conv_link = reverse("inbox:conversation", kwargs={"brand": "acme", "conversation_id": conv.pk})
    assert f'href="{conv_link}"' in in_conv
    of_customer = verbs(client.get(u("audit", customer=world.customer.pk)))
    assert "customer.merged" not in of_customer  # recorded on the merged-away customer
    assert "callback.requested" in of_customer
    by_type = verbs(client.get(u("audit", object_type="callback")))
    assert "callback.requested" in by_type and "note.added" not in by_type
    assert "No events match." in client.get(u("audit", since="2999-01-01")).content.decode()
    assert "is not a date" in client.get(u("audit", since="yesterday")).content.decode()


def test_keyset_pages_walk_the_whole_log_once(brand, users, client, settings):
    for i in range(25):
        record(brand, "system", "test.event", brand, None, n=i)
    qs = AuditEvent.objects.filter(brand=brand)
    seen, before = [], None
    while True:
        rows, before = page(qs, before, 10)
        seen += [r.pk for r in rows]
        if before is None:
            break
    assert seen == sorted(qs.values_list("pk", flat=True), reverse=True)
    settings.PARLEY_AUDIT_PAGE_SIZE = 10
    client.force_login(users["admin"])
    first = client.get(u("audit")).content.decode()
    assert "Older" in first
    assert f"before={seen[9]}" in first and "n=24" in first and "n=14" not in first
    last = client.get(u("audit", before=seen[19])).content.decode()
    assert "Older" not in last and "Newest" in last
    assert "n=0" in last
    assert client.get(u("audit", before="not-a-number")).status_code == 200


def test_csv_exports_the_filtered_view_with_formulas_defused(brand, users, client):
    record(brand, "=HYPERLINK(\"http://evil\")", "test.csv", brand, None, note="+1")
    record(brand, "system", "other.event", brand, None)
    client.force_login(users["admin"])
    response = client.get(u("audit_csv", verb="test.csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["id", "created_at", "actor", "verb", "object_type", "object_id", "conversation", "data"]
    assert len(rows) == 2
    assert rows[1][2].startswith("'=") and rows[1][3] == "test.csv"
    assert datetime.fromisoformat(rows[1][1]).tzinfo == dt_timezone.utc or rows[1][1].endswith("+00:00")
