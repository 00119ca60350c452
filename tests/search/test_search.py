"""Full-text search over posts, on SQLite (FTS5) and PostgreSQL (GIN), through the inbox query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from parley.inbox import actions, queries, search
from parley.inbox.models import Conversation, Post
from tests.conftest import T0, incoming

HOSTILE = [
    '"', '""', "'", "AND", "OR", "NOT", "*", "-", "+", "^", ":", "NEAR(", "NEAR(a b)", "a OR b", "(", ")",
    "text:late", "-late", "late*", "*late", '"late', "l'ate", "\\", "%", "_", "&|!", "'':*", "!!(", "a <-> b",
    "🎉", "🎉🎉 late", "مرحبا بالعالم", "שלום", "\u202eetal", "x" * 500, "late \x00 parcel", "ünïcödé",
    "SELECT * FROM inbox_post; --", "{}[]<>", "late" + " and" * 40,
]


def ingest(brand, channel, platform_id, text, author, at=T0):
    return actions.ingest_post(brand, channel, incoming(platform_id, text, author=author, at=at)).post


def found(user, brand, q, view="all"):
    params = QueryDict(mutable=True)
    params.update({"view": view, "sort": "recent", "q": q})
    f = queries.InboxFilter.from_params(params)
    return set(queries.conversations(user, brand, f).values_list("pk", flat=True))


def matching(brand, q, **kwargs):
    return set(search.conversation_ids_matching(brand, q, **kwargs))


@pytest.fixture
def corpus(brand, channel):
    posts = {
        "late": ingest(brand, channel, "1", "My parcel is LATE again, order 81723", "a"),
        "refund": ingest(brand, channel, "2", "I want a refund for the broken kettle", "b"),
        "cafe": ingest(brand, channel, "3", "Le Café crème était froid", "c"),
        "and": ingest(brand, channel, "4", "Salt and pepper shakers arrived broken", "d"),
        "arabic": ingest(brand, channel, "5", "الطلب متأخر جدا", "e"),
    }
    return {name: post.conversation_id for name, post in posts.items()}


def test_finds_conversations_by_a_word_in_any_post(brand, corpus, users):
    admin = users["admin"]
    assert found(admin, brand, "parcel") == {corpus["late"]}
    assert found(admin, brand, "81723") == {corpus["late"]}
    assert found(admin, brand, "kettle") == {corpus["refund"]}
    assert found(admin, brand, "unicorn") == set()
    assert found(admin, brand, "متأخر") == {corpus["arabic"]}


def test_all_terms_must_match(brand, corpus, users):
    admin = users["admin"]
    assert found(admin, brand, "broken") == {corpus["refund"], corpus["and"]}
    assert found(admin, brand, "broken kettle") == {corpus["refund"]}
    assert found(admin, brand, "broken parcel") == set()


def test_case_and_accents_do_not_matter(brand, corpus, users):
    admin = users["admin"]
    for q in ("cafe", "CAFÉ", "Café", "creme", "ÉTAIT"):
        assert found(admin, brand, q) == {corpus["cafe"]}, q
    assert found(admin, brand, "late") == {corpus["late"]}


def test_last_term_matches_as_prefix(brand, corpus, users):
    admin = users["admin"]
    assert found(admin, brand, "refu") == {corpus["refund"]}
    assert found(admin, brand, "kett broken") == set()  # only the last term is a prefix
    assert found(admin, brand, "broken kett") == {corpus["refund"]}
    assert found(admin, brand, "re") == set()  # too short to be a prefix


def test_operator_words_are_plain_words(brand, corpus, users):
    admin = users["admin"]
    assert found(admin, brand, "and") == {corpus["and"]}
    assert found(admin, brand, "salt AND pepper") == {corpus["and"]}
    assert found(admin, brand, "refund OR parcel") == set()  # OR is a word no post holds
    assert found(admin, brand, "-refund") == {corpus["refund"]}  # punctuation is a separator


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_error(brand, corpus, users, q):
    result = found(users["admin"], brand, q)
    assert result <= set(corpus.values())


def test_hostile_queries_still_find_their_words(brand, corpus, users):
    admin = users["admin"]
    assert found(admin, brand, '"late') == {corpus["late"]}
    assert found(admin, brand, "🎉🎉 late") == {corpus["late"]}
    assert found(admin, brand, "late*") == {corpus["late"]}
    assert found(admin, brand, "NEAR(") == set()


def test_results_stay_within_the_brand(brand, other_brand, channel, corpus, users):
    theirs = ingest(other_brand, None, "x1", "my parcel is late too", "z").conversation_id
    assert found(users["admin"], brand, "parcel") == {corpus["late"]}
    assert matching(other_brand, "parcel") == {theirs}


def test_agents_find_only_conversations_they_may_see(brand, corpus, users, teams):
    actions.set_team(Conversation.objects.get(pk=corpus["refund"]), teams["billing"], users["admin"])
    assert found(users["billing_agent"], brand, "broken") == {corpus["refund"], corpus["and"]}
    assert found(users["care_agent"], brand, "broken") == {corpus["and"]}


def test_deleted_posts_do_not_match(brand, corpus, users):
    post = Post.objects.get(conversation_id=corpus["refund"])
    post.is_deleted = True
    post.save()
    assert found(users["admin"], brand, "kettle") == set()
    post.is_deleted = False
    post.save()
    assert found(users["admin"], brand, "kettle") == {corpus["refund"]}
    Post.objects.filter(pk=post.pk).update(is_deleted=True, text="gone")
    assert found(users["admin"], brand, "kettle") == set() and found(users["admin"], brand, "gone") == set()


def test_posts_stored_deleted_are_never_indexed(brand, corpus, users):
    conversation = Conversation.objects.get(pk=corpus["late"])
    Post.objects.create(
        brand=brand, conversation=conversation, platform="x", platform_id="d1", text="secret walrus",
        created_at=T0, received_at=T0, is_deleted=True,
    )
    assert found(users["admin"], brand, "walrus") == set()


def test_edits_are_reindexed(brand, corpus, users):
    post = Post.objects.get(conversation_id=corpus["late"])
    post.text = "Never mind, the parcel came: thank you"
    post.is_edited = True
    post.save()
    assert found(users["admin"], brand, "81723") == set()
    assert found(users["admin"], brand, "thank") == {corpus["late"]}
    Post.objects.filter(pk=post.pk).update(text="another edit with zebra")
    assert found(users["admin"], brand, "zebra") == {corpus["late"]} and found(users["admin"], brand, "thank") == set()


def test_removed_posts_leave_the_index(brand, corpus, users):
    Post.objects.filter(conversation_id=corpus["refund"]).delete()
    assert found(users["admin"], brand, "kettle") == set()


def test_bulk_created_posts_are_indexed(brand, corpus, users):
    conversation = Conversation.objects.get(pk=corpus["and"])
    Post.objects.bulk_create(
        Post(brand=brand, conversation=conversation, platform="x", platform_id=f"b{i}",
             text=f"bulk import line {i} mentions a giraffe", created_at=T0, received_at=T0)
        for i in range(30)
    )
    assert found(users["admin"], brand, "giraffe") == {corpus["and"]}


def test_common_words_return_the_newest_matches(brand, channel):
    ids = [
        ingest(brand, channel, f"n{i}", f"order update {i}", f"c{i}", at=T0 + timedelta(minutes=i)).conversation_id
        for i in range(5)
    ]
    assert matching(brand, "order", limit=2) == set(ids[-2:])
    assert matching(brand, "order") == set(ids)


def test_blank_queries_match_nothing(brand, corpus):
    for q in ("", "   ", '"', "🎉", "*", "- -"):
        assert matching(brand, q) == set(), q


def test_query_terms_are_cut_from_user_input():
    assert search.terms('  "late  NEAR( 🎉 parcel* ') == ['"late', "NEAR(", "parcel*"]
    assert len(search.terms("w " * 100)) == search.MAX_TERMS
    assert search.fts5_expression(['"late', "parcel"]) == '"""late" "parcel"*'
    assert search.fts5_expression(['"late', "parcel"], prefix=False) == '"""late" "parcel"'
    assert search.fts5_expression(["NEAR(", "ab"]) == '"NEAR(" "ab"'


def test_whole_words_fill_the_limit_before_prefixes(brand, channel):
    whole = [
        ingest(brand, channel, f"w{i}", f"order {i}", f"w{i}", at=T0 + timedelta(minutes=i)).conversation_id
        for i in range(3)
    ]
    longer = ingest(brand, channel, "x", "orders galore", "x", at=T0 + timedelta(hours=1)).conversation_id
    assert set(search.conversation_ids_matching(brand, "order", limit=3)) == set(whole)
    assert set(search.conversation_ids_matching(brand, "order", limit=10)) == {*whole, longer}


def test_reindex_search_rebuilds_a_lost_index(brand, corpus, users, capsys):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('delete-all')")
            assert found(users["admin"], brand, "kettle") == set()
        else:
            cursor.execute(f"DROP INDEX {search.PG_INDEX}")
    call_command("reindex_search")
    assert "5 posts indexed" in capsys.readouterr().out
    assert found(users["admin"], brand, "kettle") == {corpus["refund"]}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX])
            assert cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_sqlite_index_matches_the_posts_after_every_kind_of_write(brand, corpus):
    post = Post.objects.get(conversation_id=corpus["late"])
    post.text = "edited"
    post.save()
    Post.objects.filter(conversation_id=corpus["cafe"]).update(is_deleted=True)
    Post.objects.filter(conversation_id=corpus["refund"]).delete()
    Post.objects.filter(conversation_id=corpus["cafe"]).update(is_deleted=False, text="back again")
    post.save()  # saving unchanged text must not disturb the index
    with connection.cursor() as cursor:
        # Checks the index against the content table; raises on any mismatch.
        cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(brand, corpus, users):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_update")
    assert search.ensure_triggers(connection) is True
    assert search.ensure_triggers(connection) is False
    Post.objects.filter(conversation_id=corpus["late"]).update(text="restored trigger works")
    assert found(users["admin"], brand, "restored") == {corpus["late"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_search_uses_the_gin_index(brand, corpus):
    conversation = Conversation.objects.get(pk=corpus["and"])
    Post.objects.bulk_create(
        Post(brand=brand, conversation=conversation, platform="x", platform_id=f"f{i}",
             text=f"filler words number {i}", created_at=T0, received_at=T0)
        for i in range(3000)
    )
    sql, params = search.search_sql(connection, brand, search.terms("kettle"), 10, prefix=False)
    with connection.cursor() as cursor:
        # Rows that earlier tests inserted and rolled back can sit in the GIN index's pending
        # list until a vacuum; the planner prices the index by it. Merge it first.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [search.PG_INDEX])
        cursor.execute("ANALYZE inbox_post")
        # Leave the planner only bitmap scans, so the check is whether the GIN index
        # can serve this exact expression, not which plan today's statistics favour.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert search.PG_INDEX in plan, plan
