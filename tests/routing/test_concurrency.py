"""Never two assignees: concurrent workers assigning on PostgreSQL."""

import pytest
from django.db import connection

from parley.accounts.models import AgentProfile, Brand, Membership, Team
from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent, Conversation
from parley.routing import actions
from tests.conftest import T0, incoming
from tests.inbox.test_concurrency import run_concurrently


@pytest.fixture
def pg_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to a server database")


def agents(django_user_model, brand, team, n, capacity):
    out = []
    for i in range(n):
        user = django_user_model.objects.create_user(f"agent{i}")
        Membership.objects.create(user=user, brand=brand, role="agent")
        profile = AgentProfile.objects.create(user=user, capacity=capacity)
        profile.teams.add(team)
        actions.set_availability(user, brand, "online", now=T0)
        out.append(user)
    return out


def test_racing_workers_give_a_conversation_one_assignee(pg_only, django_user_model):
    brand = Brand.objects.create(slug="race", name="Race")
    team = Team.objects.create(brand=brand, slug="care", name="Care")
    agents(django_user_model, brand, team, 4, capacity=10)
    conv = inbox.ingest_post(brand, None, incoming("1")).conversation
    inbox.set_team(conv, team, "test")
    results, errors = run_concurrently(8, lambda: actions.auto_assign(Conversation.objects.get(pk=conv.pk), T0))
    assert not errors, errors
    assert len([r for r in results if r is not None]) == 1
    assert AuditEvent.objects.filter(conversation=conv, verb="conversation.assigned").count() == 1


def test_racing_workers_never_exceed_capacity(pg_only, django_user_model):
    brand = Brand.objects.create(slug="race2", name="Race")
    team = Team.objects.create(brand=brand, slug="care", name="Care")
    users = agents(django_user_model, brand, team, 3, capacity=2)
    convs = []
    for i in range(10):
        conv = inbox.ingest_post(brand, None, incoming(str(i), author=f"c{i}")).conversation
        inbox.set_team(conv, team, "test")
        convs.append(conv.pk)
    pending = list(convs)

    def work():
        assigned = 0
        while pending:
            try:
                pk = pending.pop()
            except IndexError:
                break
            assigned += actions.auto_assign(Conversation.objects.get(pk=pk), T0) is not None
        return assigned

    results, errors = run_concurrently(5, work)
    assert not errors, errors
    assert sum(results) == 6  # 3 agents x capacity 2
    for user in users:
        assert Conversation.objects.filter(assignee=user).count() == 2
