"""The customer pages: list, profile, notes, VIP, merge and unmerge with confirmation, erase; access rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parley.customers.models import CustomerNote, Erasure
from parley.inbox import actions
from parley.inbox.models import AuditEvent, Customer, Identity
from tests.conftest import incoming

from .conftest import SECRETS

pytestmark = pytest.mark.django_db


def u(name, **kwargs):
    return reverse(f"customers:{name}", kwargs={"brand": "acme", **kwargs})


def test_profile_shows_accounts_history_notes_and_callbacks(world, users, client):
    client.force_login(users["admin"])
    page = client.get(u("profile", customer_id=world.customer.pk)).content.decode()
    assert SECRETS["name"] in page
    assert "@" + SECRETS["handle"] in page and SECRETS["email_addr"] in page
    assert "1.2k" in page or "1234" in page
    assert "Verified" in page
    assert page.index(world.conversations[1].ref) < page.index(world.conversations[0].ref)  # newest first
    assert "complaint" in page  # triage summary
    assert "Prefers " + SECRETS["note_word"] in page
    assert "•••• 199" in page
    assert "Erase…" in page and "Export as JSON" in page


def test_customer_text_is_escaped(brand, channel, users, client):
    conv = actions.ingest_post(brand, channel, incoming("x1", "<script>alert(1)</script>", author="h")).conversation
    Customer.objects.filter(pk=conv.customer_id).update(display_name="<img src=x onerror=alert(1)>")
    client.force_login(users["admin"])
    for page in (client.get(u("profile", customer_id=conv.customer_id)), client.get(u("list"))):
        html = page.content.decode()
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "&lt;img src=x" in html


def test_list_searches_name_handle_and_email(world, users, client):
    client.force_login(users["admin"])
    for query in ("vexmarrow", "@quillonvx", SECRETS["email_addr"]):
        page = client.get(u("list"), {"q": query}).content.decode()
        assert f'/customers/{world.customer.pk}/"' in page, query
        assert f'/customers/{world.bystander.pk}/"' not in page
    # The merged-away customer is not listed on its own.
    assert f'/customers/{world.email_customer.pk}/"' not in client.get(u("list")).content.decode()


def test_agents_see_only_customers_of_their_conversations(world, users, teams, client):
    actions.set_team(world.conversations[0], teams["billing"], "test")
    actions.set_team(world.conversations[1], teams["billing"], "test")
    client.force_login(users["care_agent"])
    assert client.get(u("profile", customer_id=world.customer.pk)).status_code == 404
    assert f'/customers/{world.customer.pk}/"' not in client.get(u("list")).content.decode()
    client.force_login(users["billing_agent"])
    assert client.get(u("profile", customer_id=world.customer.pk)).status_code == 200


def test_another_brands_customer_is_a_404(world, other_brand, django_user_model, client):
    from parley.accounts.models import Role
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "olga", other_brand, Role.ADMIN))
    assert client.get(u("profile", customer_id=world.customer.pk)).status_code == 404
    url = reverse("customers:profile", kwargs={"brand": "globex", "customer_id": world.customer.pk})
    assert client.get(url).status_code == 404


def test_notes_and_vip(world, users, client):
    client.force_login(users["supervisor"])
    response = client.post(u("note", customer_id=world.customer.pk), {"text": "  Calls only after 6pm "})
    assert response.status_code == 303
    assert CustomerNote.objects.filter(customer=world.customer, text="Calls only after 6pm").exists()
    client.post(u("note", customer_id=world.customer.pk), {"text": "   "})
    assert CustomerNote.objects.count() == 2  # the fixture's and this one: the empty note was refused
    client.post(u("vip", customer_id=world.customer.pk), {"vip": "1"})
    world.customer.refresh_from_db()
    assert world.customer.is_vip
    assert AuditEvent.objects.filter(verb__in=["customer.note_added", "customer.vip"]).count() == 2
    client.force_login(users["viewer"])
    assert client.post(u("note", customer_id=world.customer.pk), {"text": "x"}).status_code == 403


def test_merge_asks_first_then_merges(world, users, client, channel, brand):
    other = actions.ingest_post(brand, channel, incoming("m9", "hi", author="zz")).conversation.customer
    client.force_login(users["supervisor"])
    url = u("merge", customer_id=world.customer.pk, other_id=other.pk)
    page = client.get(url)
    assert page.status_code == 200 and "Merge two customers?" in page.content.decode()
    other.refresh_from_db()
    assert other.merged_into_id is None
    assert client.post(url).status_code == 303
    other.refresh_from_db()
    assert other.merged_into_id == world.customer.pk
    # The merged-away profile leads to the target.
    assert client.get(u("profile", customer_id=other.pk))["Location"].endswith(f"/customers/{world.customer.pk}/")


def test_agents_cannot_merge(world, users, client):
    client.force_login(users["care_agent"])
    url = u("merge", customer_id=world.customer.pk, other_id=world.bystander.pk)
    assert client.post(url).status_code == 403


def test_unmerge_asks_first_then_gives_the_identity_back(world, users, client):
    identity = Identity.objects.get(platform="email")
    client.force_login(users["admin"])
    url = u("unmerge", customer_id=world.customer.pk, identity_id=identity.pk)
    assert "Unmerge an account?" in client.get(url).content.decode()
    client.post(url)
    identity.refresh_from_db()
    assert identity.customer_id == world.email_customer.pk
    assert world.conversations[1].__class__.objects.get(pk=world.conversations[1].pk).customer_id == world.email_customer.pk
    # An identity of another customer is a 404 on this one.
    assert client.get(u("unmerge", customer_id=world.bystander.pk, identity_id=identity.pk)).status_code == 404


def test_erase_page_needs_the_typed_phrase(world, users, client):
    client.force_login(users["admin"])
    url = u("erase", customer_id=world.customer.pk)
    page = client.get(url).content.decode()
    assert "cannot be undone" in page and f"erase {world.customer.pk}" in page
    client.post(url, {"confirm": "erase"})
    assert not Erasure.objects.exists()
    client.post(url, {"confirm": f"erase {world.customer.pk}"})
    assert Erasure.objects.filter(customer=world.customer).exists()
    profile = client.get(u("profile", customer_id=world.customer.pk)).content.decode()
    assert "personal data was erased" in profile and SECRETS["name"] not in profile


@pytest.mark.parametrize("role", ["supervisor", "care_agent", "viewer"])
def test_only_admins_reach_the_erase_page(world, users, client, role):
    client.force_login(users[role])
    url = u("erase", customer_id=world.customer.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": f"erase {world.customer.pk}"}).status_code == 403
    assert not Erasure.objects.exists()


def test_side_panel_and_inbox_rows_link_to_the_profile(world, users, client):
    client.force_login(users["admin"])
    target = u("profile", customer_id=world.customer.pk)
    conv_url = reverse("inbox:conversation", kwargs={"brand": "acme", "conversation_id": world.conversations[0].pk})
    assert target in client.get(conv_url).content.decode()
    assert target in client.get(reverse("inbox:list", kwargs={"brand": "acme"})).content.decode()
