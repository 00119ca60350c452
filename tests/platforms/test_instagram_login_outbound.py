"""Instagram accounts connected with "Instagram API with Instagram Login" are served from their own host
(graph.instagram.com): their replies, messages and test connection go there, not to graph.facebook.com."""

from __future__ import annotations

import pytest

from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from parley.platforms import outbox
from parley.platforms.base import Refused
from parley.platforms.meta.client import MetaClient, api_base, instagram_login
from parley.platforms.models import OutboxItem
from tests.conftest import shared_path

from .conftest import deliver

CLOSED = "http://127.0.0.1:9"  # nothing listens there: a call to the Facebook host fails


def test_which_login_a_channel_uses():
    assert not instagram_login("instagram", {"access_token": "t"})
    assert instagram_login("instagram", {"access_token": "t", "app_secret": "s"})
    assert instagram_login("instagram", {"login": " Instagram "})
    assert not instagram_login("instagram", {"login": "facebook", "app_secret": "s"})  # said outright wins
    assert not instagram_login("facebook", {"login": "instagram"})  # a Page is always Facebook's host
    with pytest.raises(Refused, match="enter facebook or instagram"):
        instagram_login("instagram", {"login": "tiktok"})


def test_api_base_follows_the_login(settings):
    settings.PARLEY_GRAPH_API_BASE, settings.PARLEY_INSTAGRAM_API_BASE = "https://fb.example", "https://ig.example"
    settings.PARLEY_GRAPH_API_VERSION = "v21.0"
    assert api_base("instagram", {"login": "instagram"}) == "https://ig.example/v21.0"
    assert api_base("instagram", {}) == "https://fb.example/v21.0"
    assert api_base("facebook", {"app_secret": "x"}) == "https://fb.example/v21.0"


@pytest.mark.django_db
def test_instagram_login_replies_go_to_the_instagram_host(client, sim, ig_channel, settings):
    settings.PARLEY_GRAPH_API_BASE, settings.PARLEY_INSTAGRAM_API_BASE = CLOSED, sim.base_url
    ig_channel.set_credentials({"access_token": "ig-token-1", "login": "instagram"})
    ig_channel.save()
    deliver(client, "meta", shared_path("fixtures", "platform", "meta_instagram_comment.json").read_bytes())
    conversation = Conversation.objects.get()
    post = inbox.create_reply(conversation, "Yes, in blue too!", "agent")
    assert outbox.run(OutboxItem.objects.get(post=post).pk) == "sent"
    request = sim.requests[-1]
    assert request.path == "/v21.0/17919697626119712/replies" and request.token == "ig-token-1"
    assert Post.objects.get(pk=post.pk).delivery_status == "sent"
    assert MetaClient(ig_channel).test_connection().startswith("Connected as @acme (Instagram Login")


@pytest.mark.django_db
def test_facebook_login_instagram_channel_still_uses_the_graph_host(client, sim, ig_channel, settings):
    settings.PARLEY_GRAPH_API_BASE, settings.PARLEY_INSTAGRAM_API_BASE = sim.base_url, CLOSED
    deliver(client, "meta", shared_path("fixtures", "platform", "meta_instagram_comment.json").read_bytes())
    post = inbox.create_reply(Conversation.objects.get(), "Yes, in blue too!", "agent")
    assert outbox.run(OutboxItem.objects.get(post=post).pk) == "sent"
    assert sim.requests[-1].path == "/v21.0/17919697626119712/replies"
