"""Close the book: the closing proposal (pure) and the public closure rate."""

from datetime import timedelta

from parley.inbox import actions as inbox
from parley.sla.closing import proposal, propose_closing, public_closure_rate
from parley.sla.models import Survey
from tests.conftest import T0, incoming


def test_proposal_fills_the_template_and_keeps_the_link_within_280_chars():
    text = proposal("Dana", "^CB", "https://parley.example/csat/abc/")
    assert text == ("Hi Dana, glad we could sort this out! If you have a moment, tell us how we did: "
                    "https://parley.example/csat/abc/ ^CB")
    long = proposal("Dana", "", "https://x/csat/t/", "Hi {first_name}, " + "thanks again " * 40 + "{survey_url}")
    assert len(long) <= 280 and long.endswith("https://x/csat/t/")
    assert proposal("", "", "u", "Broken {template").startswith("Hi there")


def test_propose_closing_for_public_cases_only(brand, channel, users):
    conv = inbox.ingest_post(brand, channel, incoming("1", "help", at=T0)).conversation
    inbox.assign(conv, users["admin"], users["admin"])
    closing = propose_closing(conv, users["admin"], T0, base_url="https://parley.example")
    assert closing.reply_to_post_id == conv.posts.get().pk
    assert closing.survey_url.startswith("https://parley.example/csat/") and closing.survey_url in closing.text
    assert Survey.objects.count() == 1
    dm = inbox.ingest_post(brand, channel, incoming("2", "hi", author="c2", kind="dm", visibility="private",
                                                   at=T0)).conversation
    assert propose_closing(dm, users["admin"], T0) is None


def test_public_closure_rate(brand, channel, users):
    closed = inbox.ingest_post(brand, channel, incoming("1", "help", author="a", at=T0)).conversation
    inbox.create_reply(closed, "Sorted! Thanks Dana", users["admin"], now=T0 + timedelta(hours=1))
    inbox.resolve(closed, users["admin"], now=T0 + timedelta(hours=1))
    silent = inbox.ingest_post(brand, channel, incoming("2", "help", author="b", at=T0)).conversation
    inbox.create_reply(silent, "DM us please", users["admin"], now=T0 + timedelta(minutes=5))
    inbox.ingest_post(brand, channel, incoming("3", "still broken", author="b", at=T0 + timedelta(minutes=30),
                                               reply_to="2"))
    inbox.resolve(silent, users["admin"], now=T0 + timedelta(hours=2))
    result = public_closure_rate(brand, T0, T0 + timedelta(days=1))
    assert (result.resolved_public, result.closed_in_public, result.rate) == (2, 1, 0.5)
    assert public_closure_rate(brand, T0 + timedelta(days=1), T0 + timedelta(days=2)).rate is None
