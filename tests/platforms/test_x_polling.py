"""X mentions polled with API v2 (since_id, pagination_token) through the simulator."""

from __future__ import annotations

import json

import pytest

from parley.inbox.models import Post
from parley.platforms.models import PollState
from parley.platforms.x.poll import poll_mentions
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


def shared(name):
    return json.loads(shared_path("fixtures", "platform", name).read_text())


@pytest.fixture
def pages(sim):
    stream = shared("x_v2_filtered_stream_line.json")
    stream["data"]["id"] = "1307025659294674999"  # the two shared fixtures use the same id
    lookup = shared("x_v2_tweet_lookup_reply_with_expansions.json")
    first = {"data": [stream["data"]], "includes": stream["includes"],
             "meta": {"newest_id": stream["data"]["id"], "oldest_id": stream["data"]["id"], "result_count": 1,
                      "next_token": "p2"}}
    second = {**lookup, "meta": {"newest_id": lookup["data"][0]["id"], "oldest_id": lookup["data"][0]["id"],
                                 "result_count": 1}}
    sim.state.x_mention_pages.update({"": first, "p2": second})
    return sim


def test_poll_reads_every_page_then_only_newer_mentions(pages, x_channel):
    counts = poll_mentions(x_channel)
    assert counts["pages"] == 2 and counts["created"] == 2
    first = pages.requests[0]
    assert first.path == "/2/users/2244994945/mentions" and "since_id" not in first.query
    assert first.query["expansions"] == "author_id,referenced_tweets.id" and first.token == "x-token-1"
    assert pages.requests[1].query["pagination_token"] == "p2"
    mention = Post.objects.get(platform_id="1307025659294674999")
    assert mention.author.handle == "jane_c" and mention.kind == "mention" and mention.direction == "in"
    # The lookup fixture's tweet is by the account itself (TwitterDev): stored as ours, outbound.
    ours = Post.objects.get(platform_id="1307025659294674945")
    assert ours.direction == "out" and ours.author is None
    assert not Post.objects.filter(platform_id="1304102743196356610").exists()  # included context, not a mention
    assert PollState.objects.get(channel=x_channel).cursor_id == "1307025659294674999"

    again = poll_mentions(x_channel)
    assert pages.requests[-1].query["since_id"] == "1307025659294674999"
    assert again.get("created", 0) == 0 and Post.objects.count() == 2


def test_rate_limit_keeps_the_cursor(pages, x_channel):
    pages.fail("rate_limit", "/mentions")
    counts = poll_mentions(x_channel)
    assert counts["error"] == 1 and not Post.objects.exists()
    state = PollState.objects.get(channel=x_channel)
    assert state.cursor_id == "" and "429" in state.last_error
