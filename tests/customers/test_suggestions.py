"""The same-person score (pure) and the suggestions built from stored customers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parley.customers.profiles import contacts_in, profiles, suggestions_for
from parley.customers.suggestions import (
    THRESHOLD,
    Profile,
    handle_core,
    normalise_handle,
    normalise_name,
    rank,
    score,
)
from parley.inbox import actions
from parley.inbox.ingest import AuthorData
from tests.conftest import T0, incoming


def P(pk, names=(), handles=(), emails=(), phones=()):
    return Profile(pk, frozenset(normalise_name(n) for n in names), frozenset(normalise_handle(h) for h in handles),
                   frozenset(emails), frozenset(phones))


@pytest.mark.parametrize("raw, expected", [
    ("José  O'Neil", "jose oneil"),
    ("JOSÉ O’NEIL", "jose oneil"),
    ("  Ann-Marie Smith ", "ann marie smith"),
    ("", ""),
])
def test_names_normalise(raw, expected):
    assert normalise_name(raw) == expected


def test_handles_normalise():
    assert normalise_handle("@Jane_Doe") == "jane_doe"
    assert normalise_handle("Jane.Doe@example.org") == "jane.doe"
    assert handle_core("@jane_doe_82") == handle_core("JaneDoe") == "janedoe"


def test_same_email_is_very_likely():
    m = score(P(1, emails={"a@x.org"}), P(2, emails={"a@x.org"}))
    assert m.score >= 1.0 and m.likely == "very likely" and m.reasons == ("same email address",)


def test_same_phone_is_likely():
    m = score(P(1, phones={"+14155550100"}), P(2, phones={"+14155550100"}))
    assert m.score == pytest.approx(0.9) and "same phone number" in m.reasons


def test_a_full_name_counts_a_first_name_alone_does_not():
    assert score(P(1, names={"Jane Doe"}), P(2, names={"jane  doe"})).reasons == ("same name",)
    assert score(P(1, names={"Jane"}), P(2, names={"Jane"})).score == 0


def test_handles_same_similar_and_unrelated():
    assert score(P(1, handles={"janedoe"}), P(2, handles={"@JaneDoe"})).reasons == ("same handle on another account",)
    assert score(P(1, handles={"jane_doe_82"}), P(2, handles={"janedoe"})).reasons == ("similar handles",)
    assert score(P(1, handles={"janedoes"}), P(2, handles={"janedoe"})).reasons == ("similar handles",)
    assert score(P(1, handles={"bob"}), P(2, handles={"bob"})).score == 0  # too short to mean anything
    assert score(P(1, handles={"janedoe"}), P(2, handles={"johnroe"})).score == 0


def test_evidence_adds_up():
    a = P(1, names={"Jane Doe"}, handles={"janedoe"}, emails={"j@x.org"})
    b = P(2, names={"Jane Doe"}, handles={"janedoe"}, emails={"j@x.org"})
    assert score(a, b).score == pytest.approx(1.0 + 0.45 + 0.6)


def test_rank_orders_filters_and_never_suggests_itself():
    target = P(1, names={"Jane Doe"}, handles={"janedoe"}, emails={"j@x.org"})
    others = [
        target,
        P(2, names={"Jane Doe"}),  # 0.45
        P(3, emails={"j@x.org"}),  # 1.0
        P(4, names={"Someone Else"}),  # 0
        P(5, handles={"jane_doe"}),  # similar 0.35: below the threshold
        P(6, names={"Jane Doe"}),  # tie with 2: lower id first
    ]
    ranked = rank(target, others)
    assert [m.customer_id for m in ranked] == [3, 2, 6]
    assert all(m.score >= THRESHOLD for m in ranked)
    assert rank(target, others, limit=1)[0].customer_id == 3


def test_contacts_are_read_from_text():
    emails, phones = contacts_in("write to Jane.Doe@Example.org or call (415) 555-0100 please")
    assert emails == {"jane.doe@example.org"}
    assert phones == {"+14155550100"}


def _ingest(brand, channel, pid, text, uid, handle, name, **kw):
    post = incoming(pid, text, author=None, **kw)
    post.author = AuthorData(platform_user_id=uid, handle=handle, display_name=name)
    return actions.ingest_post(brand, channel, post).conversation.customer


@pytest.mark.django_db
def test_suggestions_from_stored_customers(brand, channel, other_brand):
    jane = _ingest(brand, channel, "a1", "my card was charged twice", "u1", "janedoe", "Jane Doe")
    _ingest(brand, channel, "a2", "reach me at jane@example.org", "u1", "janedoe", "Jane Doe",
            kind="dm", thread="dm-a", at=T0 + timedelta(minutes=1))
    by_mail = _ingest(brand, channel, "b1", "from my other account: jane@example.org", "u2", "jd_backup", "J",
                      kind="dm", thread="dm-b")
    same_name = _ingest(brand, channel, "c1", "hello", "u3", "xyz123", "Jane Doe")
    _ingest(brand, channel, "d1", "hi", "u4", "somebody", "Some Body")
    # Another brand's customer with the same email is never suggested.
    from parley.platforms.models import ChannelAccount

    other_channel = ChannelAccount.objects.create(brand=other_brand, platform="x", external_id="2002")
    _ingest(other_brand, other_channel, "e1", "jane@example.org", "u1", "janedoe", "Jane Doe", kind="dm", thread="x")

    assert profiles([jane.pk])[jane.pk].emails == {"jane@example.org"}
    found = suggestions_for(jane)
    assert [m.customer_id for m in found] == [by_mail.pk, same_name.pk]
    assert found[0].reasons == ("same email address",)
    actions.merge_customers(by_mail, jane, "test")
    assert [m.customer_id for m in suggestions_for(jane)] == [same_name.pk]
