"""Each conversation's triage summary: the triage values its customer's posts have, as flags.

The inbox's triage filters (queries.conversation_filter) find conversations
through these flags (models.ConversationTriageFlag, indexed by flag) instead of
reading the triage of every post of every conversation listed, which at a
million posts took 230-340 ms a page for a rare flag (docs/benchmarks.md).

A flag is a string: ``intent:complaint``, ``sentiment:negative``,
``outcome:refund``, ``outcome:unclear``, ``severity>=3`` (one per level up to
the post's severity), ``troll``, ``private_data``, ``topic:<name, lower
case>``, ``language:fr``, and the combined flag ``severity>=3&topic:<name>``
(one per level and topic of the *same* post: a topic and a severity are each
common, but rare together, and the filter asks that one post has both). A conversation has a flag when any of its posts'
stored triage has it (the same rows the filters always read; status is not
looked at, as the filters never did for these values).

Kept by `refresh(conversation_ids)`: after every save of a post's triage
(`triage_saved`, a post_save receiver, so the triage write path, retries,
corrections and any other save all keep it; saves of other columns only, such
as the priority clock's, are skipped) and when a merge moves posts between
conversations (the inbox's posts-moved listeners), in the writing transaction.
Bulk writes that bypass save() (bulk_create, update(), raw SQL) must call
`refresh` or `rebuild()` (the migration, `parley triage_summary`), which
recomputes every conversation. A deleted triage row leaves its flags until the
next refresh of that conversation (Parley only deletes triage with its post).
The flag functions are pure; the rest imports Django when called.
"""

from __future__ import annotations

from typing import Iterable, Mapping

SEVERITY_LEVELS = (1, 2, 3, 4)
TROLL_MIN = 0.5  # troll probability from which a post counts as a troll (the filter's threshold)
MAX_FLAG = 100  # models.ConversationTriageFlag.flag's length; longer topic names get no flag
# The triage columns the flags are computed from.
COLUMNS = ("intent", "sentiment", "desired_outcome", "outcome_unclear", "severity", "troll",
           "private_data_posted", "topics", "language")


def topic_flag(name: str) -> str:
    return f"topic:{name.lower()}"


def combined_flag(severity_min: int, topic: str) -> str:
    """One post has this topic and at least this severity.

    Severity first: no other flag starts with ``severity>=N&``, whatever a
    stored topic name contains, so it cannot collide with a topic flag.
    """
    return f"severity>={severity_min}&{topic_flag(topic)}"


def flags_of(row: Mapping) -> set[str]:
    """The flags one post's stored triage gives its conversation."""
    out: set[str] = set()
    for column, prefix in (("intent", "intent"), ("sentiment", "sentiment"), ("desired_outcome", "outcome"),
                           ("language", "language")):
        if row.get(column):
            out.add(f"{prefix}:{row[column]}")
    if row.get("outcome_unclear") is True:
        out.add("outcome:unclear")
    severity = row.get("severity")
    if severity is not None:
        out.update(f"severity>={level}" for level in SEVERITY_LEVELS if severity >= level)
    troll = row.get("troll")
    if troll is not None and troll >= TROLL_MIN:
        out.add("troll")
    if row.get("private_data_posted"):
        out.add("private_data")
    levels = [level for level in SEVERITY_LEVELS if severity is not None and severity >= level]
    for name in row.get("topics") or ():
        if isinstance(name, str) and name:
            out.add(topic_flag(name))
            out.update(combined_flag(level, name) for level in levels)
    return {flag for flag in out if len(flag) <= MAX_FLAG}


def required_flags(*, intent="", sentiment="", outcome="", severity_min=None, troll=None, private_data=None,
                   topic="", language="") -> list[str]:
    """The flags a conversation must have to match these (already validated) filter values.

    Only positive values have flags: "not a troll" and "no private data" are read
    from the posts' triage (queries.conversation_filter). A topic with a minimum
    severity is one combined flag (both from one post), not two.
    """
    out = []
    combined = severity_min in SEVERITY_LEVELS and bool(topic)
    if intent:
        out.append(f"intent:{intent}")
    if sentiment:
        out.append(f"sentiment:{sentiment}")
    if outcome:
        out.append(f"outcome:{outcome}")
    if severity_min in SEVERITY_LEVELS and not combined:
        out.append(f"severity>={severity_min}")
    if troll is True:
        out.append("troll")
    if private_data is True:
        out.append("private_data")
    if topic:
        out.append(combined_flag(severity_min, topic) if combined else topic_flag(topic))
    if language:
        out.append(f"language:{language}")
    return out


# --- Django side ----------------------------------------------------------------------------


def _flag_rows(triage_rows: Iterable[tuple]) -> set[tuple[int, str]]:
    """{(conversation id, flag)} from (conversation id, *COLUMNS) tuples."""
    out = set()
    for conversation_id, *values in triage_rows:
        if conversation_id is not None:
            out.update((conversation_id, flag) for flag in flags_of(dict(zip(COLUMNS, values))))
    return out


def refresh(conversation_ids) -> None:
    """Recompute the flags of these conversations from their posts' stored triage.

    Call it inside the transaction that changed the triage. The conversations
    are locked first, so two workers triaging posts of one conversation at once
    write one after the other and the second sees the first's flags.
    """
    from django.db import transaction

    from parley.inbox.models import Conversation

    from .models import ConversationTriageFlag, PostTriage

    ids = sorted({int(i) for i in conversation_ids if i is not None})
    if not ids:
        return
    with transaction.atomic():
        list(Conversation.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        wanted = _flag_rows(PostTriage.objects.filter(post__conversation_id__in=ids)
                            .values_list("post__conversation_id", *COLUMNS))
        have = set(ConversationTriageFlag.objects.filter(conversation_id__in=ids)
                   .values_list("conversation_id", "flag"))
        stale = have - wanted
        for conversation_id in {c for c, _ in stale}:
            ConversationTriageFlag.objects.filter(
                conversation_id=conversation_id, flag__in=[f for c, f in stale if c == conversation_id]
            ).delete()
        ConversationTriageFlag.objects.bulk_create(
            [ConversationTriageFlag(conversation_id=c, flag=f) for c, f in sorted(wanted - have)],
            ignore_conflicts=True,
        )


def triage_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """post_save receiver for PostTriage: refresh its conversation when a flagged column may have changed."""
    if raw or (update_fields is not None and not set(update_fields) & set(COLUMNS)):
        return
    from parley.inbox.models import Post

    post = instance._state.fields_cache.get("post")
    conversation_id = post.conversation_id if post is not None else (
        next(iter(Post.objects.filter(pk=instance.post_id).values_list("conversation_id", flat=True)), None))
    refresh([conversation_id])


def rebuild(batch_size: int = 5_000, progress=None, *, flag_model=None, triage_model=None, brand_ids=None) -> int:
    """Recompute every conversation's flags (after a bulk load, or to repair); returns how many there are.

    Brand by brand, each in its own transaction (atomic per brand; a rerun
    redoes everything, so an interrupted rebuild is finished by running it
    again): the brand's flags are deleted, then its conversations are read in
    primary-key chunks of `batch_size`, their posts' triage through the index
    on posts' conversation, and the flags written with multi-row INSERTs in
    conversation order (no ORM objects; duplicates cannot occur, as each
    conversation lies in one chunk). `brand_ids` limits it to those brands.
    `progress(n)` is called with the triage rows read.
    """
    from django.db import router, transaction

    from . import models

    ConversationTriageFlag = flag_model or models.ConversationTriageFlag  # the migration passes its own
    PostTriage = triage_model or models.PostTriage
    Conversation = ConversationTriageFlag._meta.get_field("conversation").related_model
    db = router.db_for_write(ConversationTriageFlag)
    if brand_ids is None:
        brand_ids = list(Conversation.objects.using(db).order_by().values_list("brand_id", flat=True).distinct())
        # Flags of no brand's conversation cannot exist (the foreign key cascades); nothing else to clear.
    for brand_id in sorted(brand_ids):
        with transaction.atomic(using=db):
            conversations = Conversation.objects.using(db).filter(brand_id=brand_id)
            ConversationTriageFlag.objects.using(db).filter(
                conversation_id__in=conversations.values("pk")).delete()
            last = 0
            while True:
                ids = list(conversations.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                last = ids[-1]
                rows = list(PostTriage.objects.using(db).filter(post__conversation_id__in=ids)
                            .values_list("post__conversation_id", *COLUMNS))
                _insert_flags(db, ConversationTriageFlag, sorted(_flag_rows(rows)))
                if progress is not None:
                    progress(len(rows))
    return ConversationTriageFlag.objects.using(db).count()


INSERT_ROWS = 400  # rows per INSERT statement: 800 parameters, under every SQLite's limit


def _insert_flags(db: str, model, rows: list[tuple[int, str]]) -> None:
    """INSERT the (conversation id, flag) rows, several hundred a statement, skipping any already there."""
    from django.db import connections

    table = connections[db].ops.quote_name(model._meta.db_table)
    conversation = connections[db].ops.quote_name(model._meta.get_field("conversation").column)
    flag = connections[db].ops.quote_name(model._meta.get_field("flag").column)
    with connections[db].cursor() as cursor:
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start:start + INSERT_ROWS]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({conversation}, {flag}) VALUES {values} ON CONFLICT DO NOTHING",
                           [value for row in chunk for value in row])
