"""access_* functions: roles per brand, teams, and no leaks across teams or brands."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parley.accounts.models import Membership, Role
from parley.inbox import actions
from parley.inbox.access import access_brand, access_conversation, access_customer, visible_conversations, WRITE
from tests.conftest import incoming


@pytest.fixture
def convs(brand, channel, teams):
    care = actions.ingest_post(brand, channel, incoming("1", author="a")).conversation
    billing = actions.ingest_post(brand, channel, incoming("2", author="b")).conversation
    unrouted = actions.ingest_post(brand, channel, incoming("3", author="c")).conversation
    actions.set_team(care, teams["care"], "test")
    actions.set_team(billing, teams["billing"], "test")
    return {"care": care, "billing": billing, "unrouted": unrouted}


def test_agent_sees_own_team_and_unrouted_only(brand, users, convs):
    seen = set(visible_conversations(users["care_agent"], brand).values_list("pk", flat=True))
    assert seen == {convs["care"].pk, convs["unrouted"].pk}


def test_agent_cannot_read_other_team_conversation(brand, users, convs):
    with pytest.raises(Http404):
        access_conversation(users["care_agent"], brand, convs["billing"].pk)
    with pytest.raises(Http404):
        access_conversation(users["care_agent"], brand, convs["billing"].pk, WRITE)


def test_agent_cannot_see_customer_of_other_team_only(brand, users, convs):
    with pytest.raises(Http404):
        access_customer(users["care_agent"], brand, convs["billing"].customer_id)
    assert access_customer(users["care_agent"], brand, convs["care"].customer_id)


@pytest.mark.parametrize("role", ["admin", "supervisor", "viewer"])
def test_brand_wide_roles_see_everything(brand, users, convs, role):
    assert visible_conversations(users[role], brand).count() == 3


def test_viewer_can_read_but_not_write(brand, users, convs):
    assert access_conversation(users["viewer"], brand, convs["care"].pk)
    with pytest.raises(PermissionDenied):
        access_conversation(users["viewer"], brand, convs["care"].pk, WRITE)


def test_non_member_sees_no_brand(other_brand, users):
    with pytest.raises(Http404):
        access_brand(users["admin"], other_brand.slug)


def test_roles_are_per_brand(brand, other_brand, users, convs):
    Membership.objects.create(user=users["care_agent"], brand=other_brand, role=Role.ADMIN)
    _, role = access_brand(users["care_agent"], other_brand.slug)
    assert role == "admin"
    with pytest.raises(Http404):
        access_conversation(users["care_agent"], brand, convs["billing"].pk)


@pytest.mark.parametrize("bad_id", ["abc", None, "1 OR 1=1", -5, 10**12])
def test_garbage_ids_are_404(brand, users, bad_id):
    with pytest.raises(Http404):
        access_conversation(users["admin"], brand, bad_id)


def test_conversation_of_other_brand_is_invisible_even_to_admin(brand, other_brand, users):
    foreign = actions.ingest_post(other_brand, None, incoming("9")).conversation
    with pytest.raises(Http404):
        access_conversation(users["admin"], brand, foreign.pk)


def test_assign_refuses_agent_of_other_team(brand, users, convs):
    with pytest.raises(actions.ActionError, match="not on this conversation's team"):
        actions.assign(convs["billing"], users["care_agent"], users["admin"])
    actions.assign(convs["billing"], users["billing_agent"], users["admin"])
    convs["billing"].refresh_from_db()
    assert convs["billing"].assignee == users["billing_agent"]


def test_moving_team_unassigns_agent_who_loses_sight(brand, users, convs, teams):
    actions.assign(convs["care"], users["care_agent"], users["admin"])
    actions.set_team(convs["care"], teams["billing"], users["admin"])
    convs["care"].refresh_from_db()
    assert convs["care"].assignee is None


def test_actions_write_audit_events(brand, users, convs):
    from parley.inbox.models import AuditEvent

    actions.add_note(convs["care"], "called them", users["care_agent"])
    event = AuditEvent.objects.filter(verb="note.added").get()
    assert event.actor == users["care_agent"] and event.conversation == convs["care"]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
