"""Conversations for the view tests: one per team, one unrouted, with a customer history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.inbox import actions
from tests.conftest import incoming


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def convs(brand, channel, teams, users, now):
    admin = users["admin"]
    care = actions.ingest_post(
        brand, channel,
        incoming("c1", "My grinder never arrived", author="dana", at=now - timedelta(hours=2, minutes=14, seconds=30)),
    ).conversation
    billing = actions.ingest_post(
        brand, channel, incoming("b1", "Charged twice this month", author="marco", at=now - timedelta(minutes=40))
    ).conversation
    unrouted = actions.ingest_post(
        brand, channel, incoming("u1", "Do you ship to Norway?", author="ola", at=now - timedelta(minutes=5))
    ).conversation
    actions.set_team(care, teams["care"], admin)
    actions.set_team(billing, teams["billing"], admin)
    return {"care": care, "billing": billing, "unrouted": unrouted}


def url(name, brand, conversation=None, **params):
    from urllib.parse import urlencode

    from django.urls import reverse

    kwargs = {"brand": brand.slug}
    if conversation is not None:
        kwargs["conversation_id"] = conversation if isinstance(conversation, int) else conversation.pk
    path = reverse(f"inbox:{name}", kwargs=kwargs)
    return path + ("?" + urlencode(params, doseq=True) if params else "")


HTMX = {"HTTP_HX_REQUEST": "true"}
