"""API test helpers: token clients per role and a few conversations across two teams."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from parley.inbox import actions
from tests.conftest import incoming

BASE = "/api/v1/brands/acme"


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(users):
    """An authenticated API client for each role of tests.conftest.users."""
    return {role: client_for(user) for role, user in users.items()}


@pytest.fixture
def convs(brand, channel, teams):
    """One conversation each for the care team, the billing team, and nobody yet."""
    care = actions.ingest_post(brand, channel, incoming("1", "my parcel is late", author="a")).conversation
    billing = actions.ingest_post(brand, channel, incoming("2", "charged twice", author="b")).conversation
    unrouted = actions.ingest_post(brand, channel, incoming("3", "hello there", author="c")).conversation
    actions.set_team(care, teams["care"], "test")
    actions.set_team(billing, teams["billing"], "test")
    return {"care": care, "billing": billing, "unrouted": unrouted}


def conv_url(conversation, suffix: str = "") -> str:
    return f"{BASE}/conversations/{conversation.pk}/{suffix}"
