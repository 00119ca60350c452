"""The follow-ups page: overdue first, scoped to what the user may see; done and snooze."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.sla import actions
from parley.sla.models import FollowUp
from tests.conftest import incoming


@pytest.fixture
def ups(brand, channel, teams, users):
    now = timezone.now()
    care = inbox.ingest_post(brand, channel, incoming("1", "lost parcel", author="a", at=now)).conversation
    billing = inbox.ingest_post(brand, channel, incoming("2", "charged twice", author="b", at=now)).conversation
    inbox.set_team(care, teams["care"], "test")
    inbox.set_team(billing, teams["billing"], "test")
    return {
        "late": actions.create_follow_up(care, "Chase the courier <b>now</b>", now - timedelta(hours=1),
                                         users["admin"], assignee=users["care_agent"]),
        "soon": actions.create_follow_up(care, "Call back", now + timedelta(hours=3), users["admin"]),
        "billing": actions.create_follow_up(billing, "Refund check", now - timedelta(hours=2), users["admin"]),
    }


def test_the_page_lists_overdue_first_and_only_what_the_user_sees(client, brand, users, ups):
    client.force_login(users["care_agent"])
    page = client.get("/b/acme/follow-ups/").content.decode()
    assert page.index("Overdue") < page.index("Chase the courier") < page.index("Coming up") < page.index("Call back")
    assert "Refund check" not in page  # another team's conversation
    assert "&lt;b&gt;now&lt;/b&gt;" in page
    client.force_login(users["admin"])
    assert "Refund check" in client.get("/b/acme/follow-ups/").content.decode()
    mine = client.get("/b/acme/follow-ups/?mine=1").content.decode()
    assert "Chase the courier" not in mine


def test_done_and_snooze(client, brand, users, ups):
    client.force_login(users["care_agent"])
    assert client.post(f"/b/acme/follow-ups/{ups['late'].pk}/snooze/", {"for": "1d"}).status_code == 302
    ups["late"].refresh_from_db()
    assert ups["late"].state == "snoozed" and ups["late"].snoozed_until > timezone.now() + timedelta(hours=23)
    assert "Chase the courier" not in client.get("/b/acme/follow-ups/").content.decode().split("Coming up")[0]
    client.post(f"/b/acme/follow-ups/{ups['late'].pk}/done/")
    ups["late"].refresh_from_db()
    assert ups["late"].state == "done"
    client.post(f"/b/acme/follow-ups/{ups['soon'].pk}/snooze/", {"for": "forever"})
    assert FollowUp.objects.get(pk=ups["soon"].pk).state == "open"


def test_other_teams_and_viewers_cannot_change_follow_ups(client, brand, users, ups):
    client.force_login(users["care_agent"])
    assert client.post(f"/b/acme/follow-ups/{ups['billing'].pk}/done/").status_code == 404
    client.force_login(users["viewer"])
    assert client.post(f"/b/acme/follow-ups/{ups['late'].pk}/done/").status_code == 403
    assert FollowUp.objects.filter(state="done").count() == 0
