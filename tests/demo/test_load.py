"""`parley demo` loads the demo through the real ingestion and actions, once per module, at a small scale."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import override_settings

from parley.accounts.models import Brand, Membership, Role
from parley.inbox.demo import loader
from parley.inbox.demo.brands import BRANDS, DEMO_USERNAME
from parley.inbox.models import ACTIVE_STATUSES, AuditEvent, Conversation, Customer, Note, Post, Status
from parley.platforms.models import ChannelAccount

NOW = "2026-11-20T18:30:00Z"
ARGS = ("--now", NOW, "--scale", "0.1")
FAST_HASH = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def run_demo(*args, env_password: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if env_password is not None:
        monkeypatch.setenv("PARLEY_DEMO_PASSWORD", env_password)
    with FAST_HASH:
        call_command("demo", *ARGS, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"log in as demo / (\S+)", output)
    assert match, output
    return match.group(1)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        output = run_demo()
        yield output
        loader.delete_demo()
        get_user_model().objects.filter(username__in=[DEMO_USERNAME] + [a.username for b in BRANDS for a in b.agents]).delete()


@pytest.fixture
def demo(loaded, db):
    return loaded


def live(brand=None):
    qs = Conversation.objects.exclude(status=Status.MERGED)
    return qs.filter(brand=brand) if brand else qs


def test_summary_names_brands_and_login(demo):
    for spec in BRANDS:
        assert spec.name in demo
    assert "Open http://127.0.0.1:8000 and log in as demo / " in demo
    assert "brand" in demo and "posts" in demo


def test_brands_channels_teams_and_agents(demo):
    brands = loader.demo_brands()
    assert brands.count() == 3
    for brand in brands:
        assert set(ChannelAccount.objects.filter(brand=brand).values_list("platform", flat=True)) == {
            "x", "facebook", "instagram", "youtube"}
        assert brand.teams.count() >= 4
        roles = set(Membership.objects.filter(brand=brand).values_list("role", flat=True))
        assert roles == {Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.VIEWER}
        agent = Membership.objects.filter(brand=brand, role=Role.AGENT).first().user
        assert agent.agent_profile.teams.filter(brand=brand).exists()
        assert agent.agent_profile.public_first_name
    demo_user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert not demo_user.is_superuser and not demo_user.is_staff
    assert Membership.objects.filter(user=demo_user, role=Role.ADMIN).count() == 3


def test_every_brand_has_conversations_on_every_platform(demo):
    for brand in loader.demo_brands():
        per_platform = dict(live(brand).values_list("platform").annotate(n=Count("id")).order_by())
        assert set(per_platform) == {"x", "facebook", "instagram", "youtube"}, brand.slug
        assert live(brand).count() >= 20
        assert Post.objects.filter(brand=brand).count() >= 60


def test_every_status_is_present_in_every_brand(demo):
    wanted = {Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.PENDING_INTERNAL, Status.RESOLVED, Status.CLOSED}
    for brand in loader.demo_brands():
        assert wanted <= set(live(brand).values_list("status", flat=True)), brand.slug


def test_some_customers_are_still_waiting(demo):
    waiting = live().filter(status__in=ACTIVE_STATUSES, waiting_since__isnull=False)
    assert waiting.count() >= 5
    assert live().filter(status=Status.NEW, first_response_at__isnull=True).exists()
    assert live().filter(reopened_count__gt=0).exists()


def test_pile_on(demo):
    crowded = (live().annotate(authors=Count("posts__author", filter=Q(posts__direction="in"), distinct=True))
               .filter(authors__gte=3))
    assert crowded.exists()


def test_public_thread_moves_to_private_messages(demo):
    handed_off = live().filter(posts__visibility="public").filter(posts__visibility="private").distinct()
    assert handed_off.count() >= 3
    convo = handed_off.first()
    kinds = list(convo.posts.order_by("created_at").values_list("visibility", flat=True))
    assert kinds[0] == "public" and "private" in kinds


def test_customers_expose_private_data_in_public(demo):
    exposed = Post.objects.filter(direction="in", visibility="public").filter(
        Q(text__contains="@example.") | Q(text__contains="07700 900") | Q(text__regex=r"(WL\d{8}|TW-\d{4}-\d{4}|CT\d{7})")
    )
    assert exposed.exists()


def test_non_english_and_hostile_text(demo):
    assert Post.objects.exclude(language="en").exclude(language="").count() >= 3
    assert Post.objects.filter(Q(text__contains="<script") | Q(text__contains="<img") | Q(text__contains="<div")
                               | Q(text__contains="<iframe") | Q(text__contains="<button")).exists()


def test_deleted_edited_notes_tags_and_pending_replies(demo):
    assert Post.objects.filter(is_deleted=True, deleted_at__isnull=False).exists()
    assert Note.objects.exists()
    assert Conversation.objects.filter(tags__isnull=False).exists()
    assert AuditEvent.objects.filter(verb="conversation.assigned").exists()
    assert Customer.objects.annotate(platforms=Count("identities__platform", distinct=True)).filter(
        platforms__gte=2).exists()


def test_threading_invariants(demo):
    demo_posts = Post.objects.filter(brand__in=loader.demo_brands())
    assert not demo_posts.filter(conversation__status=Status.MERGED).exists()
    assert not live().filter(brand__in=loader.demo_brands()).annotate(n=Count("posts")).filter(n=0).exists()
    assert not demo_posts.filter(parent__isnull=False).exclude(parent__conversation=F("conversation")).exists()
    assert not live().filter(customer__isnull=True).exists()
    # A reply that reached Parley before its parent was threaded once the parent came.
    early = demo_posts.filter(parent__isnull=False, received_at__lt=F("parent__received_at"))
    assert early.exists()


def test_loading_again_changes_nothing_but_the_password(demo, monkeypatch):
    before = (Conversation.objects.count(), Post.objects.count(), Brand.objects.count())
    output = run_demo()
    assert "already loaded" in output
    assert (Conversation.objects.count(), Post.objects.count(), Brand.objects.count()) == before
    password = printed_password(output)
    assert password != printed_password(demo)
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.check_password(password)
    assert get_user_model().objects.get(username="maya.wren").check_password(password)


def test_password_from_the_environment(demo, monkeypatch):
    output = run_demo(env_password="correct-horse-7", monkeypatch=monkeypatch)
    assert printed_password(output) == "correct-horse-7"
    assert get_user_model().objects.get(username=DEMO_USERNAME).check_password("correct-horse-7")


def test_short_password_from_the_environment_is_refused(demo, monkeypatch):
    with pytest.raises(CommandError):
        run_demo(env_password="short", monkeypatch=monkeypatch)


def test_reset_reloads_the_same_data_and_leaves_other_brands_alone(demo):
    other = Brand.objects.create(slug="acme", name="Acme")
    before_ids = set(loader.demo_brands().values_list("pk", flat=True))
    before = [(c.slug, c.conversations, c.posts) for c in loader.counts()]
    output = run_demo("--reset")
    assert "Deleted the demo brands" in output
    assert set(loader.demo_brands().values_list("pk", flat=True)).isdisjoint(before_ids)
    assert [(c.slug, c.conversations, c.posts) for c in loader.counts()] == before
    assert Brand.objects.filter(pk=other.pk).exists()


def test_a_real_brand_with_a_demo_slug_is_never_touched(demo):
    brand = loader.demo_brands().get(slug="tidewire")
    brand.settings = {}
    brand.save()
    with pytest.raises(CommandError, match="not created by"):
        run_demo("--reset")
    assert Brand.objects.filter(pk=brand.pk).exists()
