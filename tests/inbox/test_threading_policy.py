"""The pure threading policy, case by case."""

from datetime import datetime, timedelta, timezone

import pytest

from parley.inbox.threading import (
    JOIN,
    NEW,
    REOPEN,
    Arrival,
    Candidates,
    ConversationRef,
    decide,
)

T = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
WINDOW = timedelta(hours=72)


def ref(i, status="open", resolved_hours_ago=None, created_hours_ago=10):
    resolved = T - timedelta(hours=resolved_hours_ago) if resolved_hours_ago is not None else None
    return ConversationRef(i, status, resolved, T - timedelta(hours=created_hours_ago))


def inbound():
    return Arrival(True, T)


def outbound():
    return Arrival(False, T)


def test_nothing_known_starts_a_new_conversation():
    d = decide(inbound(), Candidates(), WINDOW)
    assert (d.action, d.conversation_id, d.merge_ids) == (NEW, None, ())


@pytest.mark.parametrize("status", ["new", "open", "pending_customer", "pending_internal"])
def test_reply_chain_joins_an_active_conversation(status):
    d = decide(inbound(), Candidates(parent=ref(1, status)), WINDOW)
    assert (d.action, d.conversation_id) == (JOIN, 1)
    assert d.reason == "reply chain"


def test_reply_chain_beats_platform_thread_and_author():
    d = decide(inbound(), Candidates(parent=ref(1), platform_thread=ref(2), author_latest=ref(3)), WINDOW)
    assert d.conversation_id == 1


def test_platform_thread_beats_author():
    d = decide(inbound(), Candidates(platform_thread=ref(2), author_latest=ref(3)), WINDOW)
    assert (d.conversation_id, d.reason) == (2, "platform thread")


def test_same_author_on_channel_joins_open_conversation():
    d = decide(inbound(), Candidates(author_latest=ref(3, "pending_customer")), WINDOW)
    assert (d.action, d.conversation_id) == (JOIN, 3)


def test_resolved_within_window_is_reopened():
    d = decide(inbound(), Candidates(author_latest=ref(3, "resolved", resolved_hours_ago=71)), WINDOW)
    assert (d.action, d.conversation_id) == (REOPEN, 3)


def test_resolved_exactly_at_window_is_reopened_and_after_is_not():
    assert decide(inbound(), Candidates(author_latest=ref(3, "resolved", 72)), WINDOW).action == REOPEN
    d = decide(inbound(), Candidates(author_latest=ref(3, "resolved", 73)), WINDOW)
    assert d.action == NEW


def test_zero_window_never_reopens():
    d = decide(inbound(), Candidates(author_latest=ref(3, "resolved", 1)), timedelta(0))
    assert d.action == NEW


@pytest.mark.parametrize("status", ["closed", "merged"])
def test_closed_and_merged_are_never_reopened(status):
    d = decide(inbound(), Candidates(parent=ref(1, status), author_latest=ref(1, status)), WINDOW)
    assert d.action == NEW


def test_reply_into_old_closed_thread_falls_back_to_open_conversation_of_author():
    d = decide(inbound(), Candidates(parent=ref(1, "closed"), author_latest=ref(5, "open")), WINDOW)
    assert (d.action, d.conversation_id) == (JOIN, 5)


def test_reply_into_resolved_thread_past_window_with_nothing_else_starts_new():
    d = decide(inbound(), Candidates(parent=ref(1, "resolved", 500)), WINDOW)
    assert d.action == NEW


def test_outbound_joins_parent_whatever_its_status_and_never_reopens():
    for status in ("resolved", "closed", "open"):
        d = decide(outbound(), Candidates(parent=ref(1, status, 500 if status != "open" else None)), WINDOW)
        assert (d.action, d.conversation_id) == (JOIN, 1)


def test_outbound_does_not_join_merged_conversation():
    assert decide(outbound(), Candidates(parent=ref(1, "merged")), WINDOW).action == NEW


def test_outbound_ignores_author_evidence():
    d = decide(outbound(), Candidates(author_latest=ref(3)), WINDOW)
    assert d.action == NEW


def test_parent_arriving_after_its_reply_joins_the_reply_conversation():
    d = decide(inbound(), Candidates(orphans=(ref(7, "open"),)), WINDOW)
    assert (d.action, d.conversation_id, d.merge_ids) == (JOIN, 7, ())
    assert d.reason == "replies arrived first"


def test_late_parent_joins_without_reopening_even_when_orphan_resolved():
    d = decide(inbound(), Candidates(orphans=(ref(7, "resolved", 500),)), WINDOW)
    assert (d.action, d.conversation_id) == (JOIN, 7)


def test_several_orphan_conversations_merge_into_the_earliest():
    d = decide(
        inbound(),
        Candidates(orphans=(ref(9, created_hours_ago=1), ref(7, created_hours_ago=5), ref(8, created_hours_ago=3))),
        WINDOW,
    )
    assert (d.conversation_id, d.merge_ids) == (7, (8, 9))


def test_orphans_merge_into_the_conversation_of_stronger_evidence():
    d = decide(inbound(), Candidates(parent=ref(1), orphans=(ref(7), ref(1))), WINDOW)
    assert (d.conversation_id, d.merge_ids) == (1, (7,))


def test_duplicate_orphan_refs_are_merged_once():
    d = decide(inbound(), Candidates(parent=ref(1), orphans=(ref(7), ref(7))), WINDOW)
    assert d.merge_ids == (7,)
