"""Each conversation's triage summary: the triage values its customer's posts have, as flags.

The inbox's triage filters (queries.conversation_filter) find conversations
through these flags (models.ConversationTriageFlag, indexed by flag) instead of
reading the triage of every post of every conversation listed, which at a
million posts took 230-340 ms a page for a rare flag (docs/benchmarks.md).

A flag is a string: ``intent:complaint``, ``sentiment:negative``,
``outcome:refund``, ``outcome:unclear``, ``severity>=3`` (one per level up to
the post's severity), ``troll``, ``private_data``, ``needs_response``,
``topic:<name, lower case>``, ``language:fr``, and the combined flags of the filter pairs agents
use together (PAIRS): ``severity>=3&topic:<name>``, ``intent:complaint&severity>=3``,
``intent:complaint&topic:<name>``, ``sentiment:negative&topic:<name>``,
``intent:question&sentiment:negative``, ``intent:complaint&language:fr``,
``intent:question&needs_response``, each
from one and the same post (two values can each be common but rare together,
and the filter asks that one post has both). A conversation has a flag when
any of its posts' stored triage has it (the same rows the filters always read;
status is not looked at, as the filters never did for these values).

Kept by `refresh(conversation_ids)`: after every save of a post's triage
(`triage_saved`, a post_save receiver, so the triage write path, retries,
corrections and any other save all keep it; saves of other columns only, such
as the priority clock's, are skipped) and when a merge moves posts between
conversations (the inbox's posts-moved listeners), in the writing transaction.
Bulk writes that bypass save() (bulk_create, update(), raw SQL; the triage
batch's `service._apply_many`, once per segment) must call `refresh` or `rebuild()` (the migration, `parley triage_summary`), which
recomputes every conversation. A deleted triage row leaves its flags until the
next refresh of that conversation (Parley only deletes triage with its post).
The flag functions are pure; the rest imports Django when called.
"""

from __future__ import annotations

from typing import Iterable, Mapping

SEVERITY_LEVELS = (1, 2, 3, 4)
TROLL_MIN = 0.5  # troll probability from which a post counts as a troll (the filter's threshold)
# needs_response from which a post needs an answer: the threshold at which the post's triage shows
# "needs reply" (display.WARN_AT); the score is a formula over intent and complaint, not calibrated
# on labels of its own (docs/model-card.md), so no other value is better founded.
NEEDS_RESPONSE_MIN = 0.5
NEEDS_RESPONSE = "needs_response"  # its flag (no "&": it combines, after the intent, as a kind of its own)
MAX_FLAG = 100  # models.ConversationTriageFlag.flag's length; longer topic names get no flag
# The triage columns the flags are computed from.
COLUMNS = ("intent", "sentiment", "desired_outcome", "outcome_unclear", "severity", "troll",
           "private_data_posted", "topics", "language", "needs_response")


def topic_flag(name: str) -> str:
    return f"topic:{name.lower()}"


# The filter pairs that get a combined flag, in the order a filter with several values uses them
# (required_flags): the rarest together first. Within a pair, the kinds are in KIND_ORDER.
PAIRS = (("severity", "topic"), ("intent", "severity"), ("intent", "topic"), ("sentiment", "topic"),
         ("intent", "language"), ("intent", "sentiment"), ("intent", "needs_response"))
# A combined flag is "<first>&<second>" with its kinds in this order. Only a topic (a free name)
# may contain "&", and it always comes last; the other values of a combined flag, and of the
# plain intent, sentiment, outcome and language flags, never contain "&" (such values get no
# flag: no filter accepts them), so a combined flag cannot collide with any other flag.
KIND_ORDER = ("intent", "sentiment", "outcome", "severity", "language", "needs_response", "topic")


def combined_flag(first: str, second: str) -> str:
    """One post has both flags (of two kinds in KIND_ORDER, e.g. ``severity>=3`` and ``topic:refund``)."""
    return f"{first}&{second}"


def _pair_atoms(row: Mapping) -> dict[str, list[str]]:
    """{kind: this post's flags of that kind}, for the kinds that combine (KIND_ORDER)."""
    out: dict[str, list[str]] = {}
    for column, prefix in (("intent", "intent"), ("sentiment", "sentiment"), ("desired_outcome", "outcome"),
                           ("language", "language")):
        value = row.get(column)
        if value and "&" not in value:
            out.setdefault(prefix, []).append(f"{prefix}:{value}")
    if row.get("outcome_unclear") is True:
        out.setdefault("outcome", []).append("outcome:unclear")
    needs_response = row.get("needs_response")
    if needs_response is not None and needs_response >= NEEDS_RESPONSE_MIN:
        out["needs_response"] = [NEEDS_RESPONSE]
    severity = row.get("severity")
    if severity is not None and severity >= SEVERITY_LEVELS[0]:
        out["severity"] = [f"severity>={level}" for level in SEVERITY_LEVELS if severity >= level]
    topics = row.get("topics")
    if isinstance(topics, (list, tuple)):
        names = [topic_flag(name) for name in topics if isinstance(name, str) and name]
        if names:
            out["topic"] = names
    return out


def flags_of(row: Mapping) -> set[str]:
    """The flags one post's stored triage gives its conversation."""
    atoms = _pair_atoms(row)
    out = {flag for flags in atoms.values() for flag in flags}
    troll = row.get("troll")
    if troll is not None and troll >= TROLL_MIN:
        out.add("troll")
    if row.get("private_data_posted"):
        out.add("private_data")
    for first, second in PAIRS:
        out.update(combined_flag(a, b) for a in atoms.get(first, ()) for b in atoms.get(second, ()))
    return {flag for flag in out if len(flag) <= MAX_FLAG}


def required_flags(*, intent="", sentiment="", outcome="", severity_min=None, troll=None, private_data=None,
                   topic="", language="", needs_response=None, pairs=PAIRS) -> list[str]:
    """The flags a conversation must have to match these (already validated) filter values.

    Only positive values have flags: "not a troll", "no private data" and "no
    response needed" are read from the posts' triage (queries.conversation_filter). Two values of a pair
    in `pairs` are one combined flag (both from one post), not two; each value
    is used in one combined flag at most, the pairs tried in order.
    """
    row = {"intent": intent, "sentiment": sentiment, "language": language,
           "topics": [topic] if topic else [], "severity": None}
    if outcome == "unclear":
        row["outcome_unclear"] = True
    else:
        row["desired_outcome"] = outcome
    atoms = {kind: flags[-1] for kind, flags in _pair_atoms(row).items()}  # severity: its top level only
    if severity_min in SEVERITY_LEVELS:
        atoms["severity"] = f"severity>={severity_min}"
    if needs_response is True:
        atoms["needs_response"] = NEEDS_RESPONSE
    out = []
    for first, second in pairs:
        if first in atoms and second in atoms:
            out.append(combined_flag(atoms.pop(first), atoms.pop(second)))
    out += [atoms[kind] for kind in KIND_ORDER if kind in atoms]
    if troll is True:
        out.append("troll")
    if private_data is True:
        out.append("private_data")
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


def rebuild(batch_size: int = 5_000, progress=None, *, flag_model=None, triage_model=None, brand_ids=None,
            in_sql: bool = True) -> int:
    """Recompute every conversation's flags (after a bulk load, or to repair); returns how many there are.

    Brand by brand, each in its own transaction (atomic per brand; a rerun
    redoes everything, so an interrupted rebuild is finished by running it
    again): the brand's flags are deleted, then its conversations are read in
    primary-key chunks of `batch_size`, their posts' triage through the index
    on posts' conversation. Each chunk's flags are computed and written by one
    INSERT … SELECT (summary_sql.py), without leaving the database; with
    `in_sql=False` (the reference the tests compare it with) the rows are read
    here and the flags written with multi-row INSERTs in conversation order (no
    ORM objects; duplicates cannot occur, as each conversation lies in one
    chunk). `brand_ids` limits it to those brands. `progress(n)` is called with
    the triage rows read (counted only when it is given).
    """
    from django.db import router, transaction

    from . import models, summary_sql

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
                triage = PostTriage.objects.using(db).filter(post__conversation_id__in=ids)
                if in_sql:
                    summary_sql.insert_flags(db, ConversationTriageFlag, PostTriage, ids)
                    read = triage.count() if progress is not None else 0
                else:
                    rows = list(triage.values_list("post__conversation_id", *COLUMNS))
                    _insert_flags(db, ConversationTriageFlag, sorted(_flag_rows(rows)))
                    read = len(rows)
                if progress is not None:
                    progress(read)
    return ConversationTriageFlag.objects.using(db).count()


def migration_rebuild(apps, schema_editor) -> None:
    """RunPython: `rebuild` with the migration's models (for a migration that changes the flags)."""
    rebuild(flag_model=apps.get_model("triage", "ConversationTriageFlag"),
            triage_model=apps.get_model("triage", "PostTriage"))


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
