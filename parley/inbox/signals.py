"""A tiny registry of "post ingested" listeners (other apps react to new posts).

`ingest_post` calls `post_ingested(post_id)` once the transaction that stored
a new post has committed. Listeners register in their AppConfig.ready(); one
that fails is logged and never stops ingestion or the other listeners.
"""

from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger(__name__)

_listeners: list[Callable[[int], None]] = []


def add_post_ingested_listener(listener: Callable[[int], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_post_ingested_listener(listener: Callable[[int], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def post_ingested(post_id: int) -> None:
    for listener in list(_listeners):
        try:
            listener(post_id)
        except Exception:  # a listener's failure must never lose or block a post
            log.exception("post-ingested listener %r failed for post %s", listener, post_id)


# --- a post deleted on the platform ---------------------------------------------------------
# Listeners erase the copies of its words their app keeps (triage explanations, raw webhook
# bodies, quotes). They run inside the deleting transaction, and a failure undoes the deletion:
# the words never stay behind half-erased (the platform's event becomes a dead letter to replay).

_deleted_listeners: list[Callable[[object, list[str]], None]] = []


def add_post_deleted_listener(listener: Callable[[object, list[str]], None]) -> None:
    if listener not in _deleted_listeners:
        _deleted_listeners.append(listener)


def post_deleted(post, words: list[str]) -> None:
    """`post` was deleted; `words` are the texts it held (call inside the deleting transaction)."""
    for listener in list(_deleted_listeners):
        listener(post, words)


# --- posts moved between conversations (a merge) -------------------------------------------
# Listeners keep what they derive per conversation up to date (triage's summary). They run
# inside the moving transaction, and a failure undoes the move: derived data never drifts.

_moved_listeners: list[Callable[[list[int]], None]] = []


def add_posts_moved_listener(listener: Callable[[list[int]], None]) -> None:
    if listener not in _moved_listeners:
        _moved_listeners.append(listener)


def posts_moved(conversation_ids: list[int]) -> None:
    """Posts left or joined these conversations (call inside the transaction that moved them)."""
    for listener in list(_moved_listeners):
        listener(conversation_ids)


# --- derived columns of conversations (the stored SLA due times) --------------------------------
# A "saving" listener is called by Conversation.save() before it writes, with the fields being
# saved (None: all); it sets derived attributes on the conversation and returns the names of the
# fields it set, which are written in the same statement. A "changed" listener is told the ids of
# conversations that a bulk write changed without save() (update(), bulk inserts): it refreshes
# them in the writing transaction. A failure in either undoes the write: derived data never drifts.

_saving_listeners: list[Callable] = []
_changed_listeners: list[Callable[[list[int]], None]] = []


def add_conversation_saving_listener(listener: Callable) -> None:
    if listener not in _saving_listeners:
        _saving_listeners.append(listener)


def add_conversations_changed_listener(listener: Callable[[list[int]], None]) -> None:
    if listener not in _changed_listeners:
        _changed_listeners.append(listener)


def conversation_saving(conversation, update_fields):
    """The fields Conversation.save() writes: `update_fields` plus what the listeners derived."""
    extra: list[str] = []
    for listener in list(_saving_listeners):
        extra.extend(listener(conversation, update_fields) or ())
    if update_fields is None or not extra:
        return update_fields
    return [*update_fields, *(name for name in extra if name not in update_fields)]


def conversations_changed(conversation_ids) -> None:
    """Columns of these conversations were written without save() (call inside that transaction)."""
    ids = sorted({int(i) for i in conversation_ids if i is not None})
    if ids:
        for listener in list(_changed_listeners):
            listener(ids)
