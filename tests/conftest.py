"""Shared fixtures: a brand with two teams, users in every role, and a channel."""

from __future__ import annotations

import os
from datetime import datetime, timezone as dt_timezone
from pathlib import Path

import pytest

from parley.accounts.models import AgentProfile, Brand, Membership, Role, Team
from parley.inbox.ingest import AuthorData, IncomingPost
from parley.platforms.models import ChannelAccount

def _find_shared() -> Path:
    """../shared beside the checkout; from a git worktree nested deeper, the nearest ancestor's `shared`."""
    if os.environ.get("PARLEY_SHARED_DIR"):
        return Path(os.environ["PARLEY_SHARED_DIR"])
    checkout = Path(__file__).resolve().parents[1]
    for folder in checkout.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared"
    return checkout.parent / "shared"


SHARED = _find_shared()


def shared_path(*parts: str) -> Path:
    """A file in ../shared; the test is skipped when that folder is absent (a fresh clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only beside CI and developer checkouts)")
    return path


T0 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc)


@pytest.fixture
def brand(db):
    return Brand.objects.create(slug="acme", name="Acme")


@pytest.fixture
def other_brand(db):
    return Brand.objects.create(slug="globex", name="Globex")


@pytest.fixture
def teams(brand):
    return {
        "care": Team.objects.create(brand=brand, slug="care", name="Care"),
        "billing": Team.objects.create(brand=brand, slug="billing", name="Billing"),
    }


def make_user(django_user_model, username, brand, role, teams=(), first_name=""):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username + "-123")
    Membership.objects.create(user=user, brand=brand, role=role)
    profile = AgentProfile.objects.create(user=user, public_first_name=first_name or username.title())
    profile.teams.set(teams)
    return user


@pytest.fixture
def users(django_user_model, brand, teams):
    return {
        "admin": make_user(django_user_model, "ada", brand, Role.ADMIN),
        "supervisor": make_user(django_user_model, "sam", brand, Role.SUPERVISOR),
        "care_agent": make_user(django_user_model, "cara", brand, Role.AGENT, [teams["care"]]),
        "billing_agent": make_user(django_user_model, "bill", brand, Role.AGENT, [teams["billing"]]),
        "viewer": make_user(django_user_model, "vic", brand, Role.VIEWER),
    }


@pytest.fixture
def channel(brand):
    return ChannelAccount.objects.create(brand=brand, platform="x", external_id="1001", handle="AcmeHelp")


def incoming(
    platform_id: str,
    text: str = "hello",
    *,
    author: str | None = "c1",
    at: datetime = T0,
    direction: str = "in",
    kind: str = "mention",
    reply_to: str = "",
    thread: str = "",
    platform: str = "x",
    **extra,
) -> IncomingPost:
    """An IncomingPost for tests; `author` is a platform user id (None for brand posts)."""
    return IncomingPost(
        platform=platform,
        platform_id=platform_id,
        text=text,
        created_at=at,
        direction=direction,
        kind=kind,
        author=AuthorData(platform_user_id=author, handle=f"user_{author}") if author else None,
        in_reply_to_id=reply_to,
        platform_conversation_id=thread,
        **extra,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole session (Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
