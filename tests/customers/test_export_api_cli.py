"""Export (web, API, CLI: one document) and erase through the API and the CLI."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from parley.customers.models import Erasure
from parley.inbox.models import AuditEvent
from tests.api.conftest import client_for

from .conftest import SECRETS
from .dbscan import find_everywhere

pytestmark = pytest.mark.django_db


def _streamed(response) -> dict:
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def test_the_export_holds_everything_about_the_customer(world, users, client):
    client.force_login(users["admin"])
    response = client.get(reverse("customers:export", kwargs={"brand": "acme", "customer_id": world.customer.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="customer-{world.customer.pk}.json"'
    doc = _streamed(response)
    assert doc["format"] == "parley.customer-export" and doc["version"] == 1
    assert doc["profile"]["display_name"] == SECRETS["name"]
    assert doc["profile"]["merged_customers"] == [world.email_customer.pk]
    assert {i["platform"] for i in doc["identities"]} == {"x", "email"}
    assert len(doc["conversations"]) == 2
    assert doc["conversations"][1]["triage"]["intent"] == "complaint"
    texts = " ".join(p["text"] for p in doc["posts"])
    assert SECRETS["public_word"] in texts and SECRETS["private_word"] in texts
    assert any(SECRETS["note_word"] in n["text"] for n in doc["notes"] if n["about"] == "customer")
    assert any(SECRETS["note_word"] in n["text"] for n in doc["notes"] if n["about"] == "conversation")
    assert doc["callbacks"][0]["phone"] == SECRETS["phone"]
    assert doc["csat"][0]["score"] == 4
    # The bystander's post is not in this customer's export.
    assert "same here" not in texts
    assert AuditEvent.objects.filter(verb="customer.exported", object_id=str(world.customer.pk)).count() == 1


@pytest.mark.parametrize("role, status", [("supervisor", 403), ("care_agent", 403), ("viewer", 403)])
def test_only_admins_export_on_the_web(world, users, client, role, status):
    client.force_login(users[role])
    url = reverse("customers:export", kwargs={"brand": "acme", "customer_id": world.customer.pk})
    assert client.get(url).status_code == status


def test_api_export_and_erase(world, users):
    admin = client_for(users["admin"])
    base = f"/api/v1/brands/acme/customers/{world.customer.pk}"
    doc = _streamed(admin.get(f"{base}/export/"))
    assert doc["profile"]["id"] == world.customer.pk
    refused = admin.post(f"{base}/erase/", {"confirm": "erase"}, format="json")
    assert refused.status_code == 400 and "cannot be undone" in refused.json()["detail"]
    done = admin.post(f"{base}/erase/", {"confirm": f"erase {world.customer.pk}"}, format="json")
    assert done.status_code == 200
    assert done.json()["customer"] == world.customer.pk and done.json()["counts"]["posts"] >= 4
    again = admin.post(f"{base}/erase/", {"confirm": f"erase {world.customer.pk}"}, format="json")
    assert again.json()["erased_at"] == done.json()["erased_at"]
    assert find_everywhere(SECRETS["handle"]) == []


@pytest.mark.parametrize("role", ["supervisor", "care_agent", "viewer"])
def test_api_refuses_non_admins(world, users, role):
    api = client_for(users[role])
    base = f"/api/v1/brands/acme/customers/{world.customer.pk}"
    assert api.get(f"{base}/export/").status_code == 403
    assert api.post(f"{base}/erase/", {"confirm": f"erase {world.customer.pk}"}, format="json").status_code == 403
    assert not Erasure.objects.exists()


def test_api_answers_404_for_another_brands_customer(world, users, other_brand, django_user_model):
    from parley.accounts.models import Role
    from tests.conftest import make_user

    stranger = make_user(django_user_model, "olga", other_brand, Role.ADMIN)
    api = client_for(stranger)
    assert api.get(f"/api/v1/brands/acme/customers/{world.customer.pk}/export/").status_code == 404
    assert api.get(f"/api/v1/brands/globex/customers/{world.customer.pk}/export/").status_code == 404


def test_cli_export_and_erase(world, tmp_path):
    out = io.StringIO()
    call_command("customers", "export", "--brand", "acme", str(world.customer.pk), stdout=out)
    assert json.loads(out.getvalue())["profile"]["id"] == world.customer.pk
    path = tmp_path / "c.json"
    call_command("customers", "export", "--brand", "acme", str(world.customer.pk), "--out", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text())["profile"]["display_name"] == SECRETS["name"]
    with pytest.raises(CommandError, match="cannot be undone"):
        call_command("customers", "erase", "--brand", "acme", str(world.customer.pk), "--confirm", "yes")
    with pytest.raises(CommandError, match="No customer"):
        call_command("customers", "erase", "--brand", "globex", str(world.customer.pk), "--confirm", "x")
    out = io.StringIO()
    call_command("customers", "erase", "--brand", "acme", str(world.customer.pk),
                 "--confirm", f"erase {world.customer.pk}", stdout=out)
    assert "erased" in out.getvalue()
    event = AuditEvent.objects.get(verb="customer.erased")
    assert event.actor_label == "cli"
    assert find_everywhere(SECRETS["private_word"]) == []
