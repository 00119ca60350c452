"""The template editor pages: read for every member, write for admins and supervisors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parley.composer import actions
from parley.composer.editor import preview, sample_values
from parley.composer.models import Template
from parley.inbox.models import AuditEvent
from tests.conftest import T0


def base(brand):
    return f"/b/{brand.slug}/templates/"


@pytest.fixture
def library(brand, users, teams):
    late = actions.create_template(brand, users["admin"], name="Late parcel", shortcut="late",
                                   body="Hi {customer.first_name}, your parcel is on its way. {agent.first_name}",
                                   intent="complaint", channel="x", team=teams["care"])
    thanks = actions.create_template(brand, users["admin"], name="Thanks", body="Thank you {customer.first_name|there}!",
                                     intent="praise")
    Template.objects.filter(pk=late.pk).update(usage_count=7, last_used_at=T0 + timedelta(days=1))
    return {"late": late, "thanks": thanks}


def test_preview_is_pure_and_explains_unknown_variables():
    values = sample_values("Acme", "Cara")
    assert preview("Hi {customer.first_name}, {agent.first_name} here ({case.ref})", values).text == (
        "Hi Alex, Cara here (C-000123)")
    bad = preview("Hi {customer.firstname}", values)
    assert bad.text == "" and "Unknown variable {customer.firstname}" in bad.error and "{customer.first_name}" in bad.error
    assert "Unmatched" in preview("Hi {", values).error
    assert preview("   ", values).error


def test_list_shows_usage_and_last_use_and_searches(client, brand, users, library):
    client.force_login(users["care_agent"])
    page = client.get(base(brand)).content.decode()
    assert "Late parcel" in page and "/late" in page and "Thanks" in page
    assert ">7<" in page and "3 Nov 2026" in page and "never" in page
    assert "New template" not in page  # agents read only
    page = client.get(base(brand) + "?q=parcel").content.decode()
    assert "Late parcel" in page and "Thank you" not in page
    page = client.get(base(brand) + "?q=zzz").content.decode()
    assert "No template matches" in page


def test_agents_read_but_cannot_change(client, brand, users, library):
    client.force_login(users["care_agent"])
    t = library["late"]
    page = client.get(f"{base(brand)}{t.pk}/")
    assert page.status_code == 200 and "<fieldset disabled>" in page.content.decode()
    assert "Save template" not in page.content.decode()
    assert client.get(f"{base(brand)}new").status_code == 403
    assert client.post(f"{base(brand)}{t.pk}/", {"name": "Hacked", "body": "x"}).status_code == 403
    assert client.post(f"{base(brand)}{t.pk}/delete").status_code == 403
    t.refresh_from_db()
    assert t.name == "Late parcel"


def test_supervisor_creates_with_scopes_and_sees_clear_errors(client, brand, users, teams):
    client.force_login(users["supervisor"])
    r = client.post(f"{base(brand)}new", {"name": "Refund", "shortcut": "", "body": "Hi {customer.nickname}",
                                          "team": "", "channel": "", "visibility": "", "intent": "",
                                          "desired_outcome": ""})
    assert r.status_code == 422
    page = r.content.decode()
    assert "Unknown variable {customer.nickname}" in page and "Hi {customer.nickname}" in page
    assert not Template.objects.exists()
    r = client.post(f"{base(brand)}new", {"name": "Refund on its way", "shortcut": "", "team": str(teams["billing"].pk),
                                          "body": "Hi {customer.first_name}, the refund is on its way {eta|soon}.",
                                          "channel": "x", "visibility": "public", "intent": "complaint",
                                          "desired_outcome": "refund"})
    assert r.status_code == 302
    t = Template.objects.get()
    assert (t.shortcut, t.team, t.channel, t.visibility, t.intent, t.desired_outcome) == (
        "refund-on-its-way", teams["billing"], "x", "public", "complaint", "refund")
    assert AuditEvent.objects.filter(verb="template.created").count() == 1
    r = client.post(f"{base(brand)}new", {"name": "Dup", "shortcut": "refund-on-its-way", "body": "hi"})
    assert r.status_code == 422 and "is taken" in r.content.decode()


def test_supervisor_edits_and_deletes(client, brand, users, library):
    client.force_login(users["supervisor"])
    t = library["late"]
    r = client.post(f"{base(brand)}{t.pk}/", {"name": "Late parcel (X)", "shortcut": "late", "body": t.body,
                                              "team": "", "channel": "x", "visibility": "", "intent": "complaint",
                                              "desired_outcome": "delivery"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.name == "Late parcel (X)" and t.team is None and t.desired_outcome == "delivery"
    assert AuditEvent.objects.filter(verb="template.updated").count() == 1
    assert client.post(f"{base(brand)}{t.pk}/delete").status_code == 302
    assert not Template.objects.filter(pk=t.pk).exists()
    assert AuditEvent.objects.get(verb="template.deleted").data["shortcut"] == "late"


def test_another_brands_template_and_team_are_404_or_refused(client, brand, other_brand, users, library):
    from parley.accounts.models import Team

    foreign = Template.objects.create(brand=other_brand, name="Theirs", shortcut="theirs", body="hi")
    foreign_team = Team.objects.create(brand=other_brand, slug="x", name="X")
    client.force_login(users["admin"])
    assert client.get(f"{base(brand)}{foreign.pk}/").status_code == 404
    assert client.post(f"{base(brand)}{foreign.pk}/delete").status_code == 404
    r = client.post(f"{base(brand)}new", {"name": "Sneaky", "body": "hi", "team": str(foreign_team.pk)})
    assert r.status_code == 422 and "Choose one of the brand" in r.content.decode()
    assert client.get(f"/b/{other_brand.slug}/templates/").status_code == 404


def test_live_preview_endpoint(client, brand, users):
    client.force_login(users["care_agent"])
    r = client.post(f"{base(brand)}preview", {"body": "Hi {customer.first_name}, {agent.first_name} here"})
    assert r.status_code == 200 and "Hi Alex, Cara here" in r.content.decode()
    r = client.post(f"{base(brand)}preview", {"body": "Hi <b>{customer.first_name}</b> {oops}"})
    page = r.content.decode()
    assert "Unknown variable {oops}" in page and "<b>" not in page


def test_header_links_to_templates_for_supervisors_only(client, brand, users):
    client.force_login(users["supervisor"])
    assert f'href="{base(brand)}"' in client.get(f"/b/{brand.slug}/").content.decode()
    client.force_login(users["care_agent"])
    assert f'href="{base(brand)}"' not in client.get(f"/b/{brand.slug}/").content.decode()
