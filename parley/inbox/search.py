"""Full-text search over posts.

Two engines, one behaviour:

- SQLite: an FTS5 table, ``inbox_post_fts``, with external content (the text
  stays in ``inbox_post``; the FTS table holds only the index). Triggers keep
  it in step with inserts, edits and deletions, and only posts that are not
  deleted are indexed. Tokenizer: unicode61 with diacritics removed, so
  "Café" and "cafe" match and case never matters.
- PostgreSQL: ``to_tsvector('parley_search', text)`` kept in a stored
  generated column, ``inbox_post.search_vector`` (Django's model does not
  know it; the database fills it), under a partial GIN index over posts that
  are not deleted. ``parley_search`` is the "simple" configuration (no
  stemming, no stop words: customers write in every language) with accents
  removed through the ``unaccent`` extension where the server has it.

Customer-facing input is untrusted and never reaches either engine's query
syntax: the query is cut into whitespace-separated terms, each term becomes a
quoted phrase (FTS5) or goes through plainto_tsquery (PostgreSQL), and all
terms must match (AND) within one post. The last term also matches as a
prefix when it is at least three letters or digits long, so "refu" finds
"refund" (whole-word matches come first; see conversation_ids_matching).

Common words match hundreds of thousands of posts in a large installation, so
a search returns the conversations of the newest ``MAX_MATCHED_POSTS``
matching posts of the brand (newest by storage order). Rare terms, the usual
reason to search, are found in full; a common word lists the conversations
where it was said most recently.

The schema objects are created by migration 0002 and can be rebuilt with
``parley reindex_search``; the SQL lives here so both create the same thing.
"""

from __future__ import annotations

import re

from django.db import DatabaseError, transaction
from django.db import connection as default_connection

from .models import Post

MAX_MATCHED_POSTS = 1000
MAX_TERMS = 12
MAX_TERM_CHARS = 64
PREFIX_MIN_CHARS = 3

FTS_TABLE = "inbox_post_fts"
PG_CONFIG = "parley_search"
PG_COLUMN = "search_vector"
PG_INDEX = "inbox_post_text_search"

# A term is worth sending only if it holds a letter or digit: punctuation,
# emoji and quote marks alone are separators to both tokenizers.
_WORDISH = re.compile(r"[^\W_]")


def terms(query: str) -> list[str]:
    """The search terms of a user's query, hostile input included."""
    found = []
    for raw in (query or "").split():
        term = raw[:MAX_TERM_CHARS].replace("\x00", "")
        if _WORDISH.search(term):
            found.append(term)
        if len(found) == MAX_TERMS:
            break
    return found


def _prefixable(term: str) -> bool:
    return len(term) >= PREFIX_MIN_CHARS and term.isalnum()


def fts5_expression(words: list[str], prefix: bool = True) -> str:
    """An FTS5 MATCH expression: every term a quoted phrase, all of them required."""
    phrases = ['"' + word.replace('"', '""') + '"' for word in words]
    if prefix and words and _prefixable(words[-1]):
        phrases[-1] += "*"
    return " ".join(phrases)


def pg_tsquery(words: list[str], prefix: bool = True) -> tuple[str, list[str]]:
    """SQL for a tsquery over `words` and its parameters.

    plainto_tsquery ignores every operator character, so any text is safe in it.
    The prefix term is letters and digits only, which to_tsquery reads literally.
    """
    if prefix and words and _prefixable(words[-1]):
        head, last = words[:-1], words[-1]
        prefix_sql = f"to_tsquery('{PG_CONFIG}', %s)"
        if not head:
            return prefix_sql, [f"'{last}':*"]
        return f"(plainto_tsquery('{PG_CONFIG}', %s) && {prefix_sql})", [" ".join(head), f"'{last}':*"]
    return f"plainto_tsquery('{PG_CONFIG}', %s)", [" ".join(words)]


def conversation_ids_matching(brand, query: str, limit: int = MAX_MATCHED_POSTS, *, connection=None) -> list[int]:
    """Ids of the brand's conversations whose posts match `query`, newest match first.

    Runs the search now and returns at most `limit` ids (see the module
    docstring); the caller filters with `pk__in` and scopes by access. A list
    of ids, rather than a subquery, lets the database look the conversations
    up by primary key instead of scanning a brand's conversations to probe a
    subquery.
    """
    words = terms(query)
    if not words:
        return []
    connection = connection or default_connection
    if connection.vendor not in ("sqlite", "postgresql"):
        return _substring_fallback(brand, words, limit)
    # Whole words first: a common word fills the limit from the newest posts at
    # once, while a prefix must gather every word it begins. Only when whole
    # words fall short is the last term read as a prefix too.
    rows = _run(connection, *search_sql(connection, brand, words, limit, prefix=False))
    if len(rows) < limit and _prefixable(words[-1]):
        rows = _run(connection, *search_sql(connection, brand, words, limit, prefix=True))
    return list(dict.fromkeys(rows))


def _run(connection, sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def search_sql(connection, brand, words: list[str], limit: int, prefix: bool = True) -> tuple[str, list]:
    """SQL for the conversation id of each matching post of `brand`, newest first."""
    post = Post._meta.db_table
    if connection.vendor == "sqlite":
        return (
            f"SELECT p.conversation_id FROM {FTS_TABLE} JOIN {post} p ON p.id = {FTS_TABLE}.rowid"
            f" WHERE {FTS_TABLE} MATCH %s AND p.brand_id = %s AND NOT p.is_deleted"
            f" ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s",
            [fts5_expression(words, prefix), brand.pk, limit],
        )
    if connection.vendor == "postgresql":
        tsquery, params = pg_tsquery(words, prefix)
        return (
            f"SELECT conversation_id FROM {post} WHERE brand_id = %s AND NOT is_deleted"
            f" AND {PG_COLUMN} @@ {tsquery} ORDER BY id DESC LIMIT %s",
            [brand.pk, *params, limit],
        )
    raise ValueError(f"no full-text search on {connection.vendor}")


def _substring_fallback(brand, words: list[str], limit: int) -> list[int]:
    """Other databases: case-insensitive substring match of every term (slow, correct)."""
    qs = Post.objects.filter(brand=brand, is_deleted=False)
    for word in words:
        qs = qs.filter(text__icontains=word)
    return list(dict.fromkeys(qs.order_by("-id").values_list("conversation_id", flat=True)[:limit]))


# --- schema: created by migration 0002, rebuilt by `parley reindex_search` ----------------

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        text, content='inbox_post', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    # Only posts that are not deleted are in the index; the 'delete' command
    # of an external-content table must be given exactly what was indexed.
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON inbox_post
        WHEN NOT new.is_deleted BEGIN
            INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON inbox_post
        WHEN NOT old.is_deleted BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text, is_deleted ON inbox_post
        WHEN old.text IS NOT new.text OR old.is_deleted IS NOT new.is_deleted BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text)
                SELECT 'delete', old.id, old.text WHERE NOT old.is_deleted;
            INSERT INTO {FTS_TABLE}(rowid, text) SELECT new.id, new.text WHERE NOT new.is_deleted;
        END""",
]
SQLITE_TRIGGERS = [f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
SQLITE_FILL = [
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
    f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT id, text FROM inbox_post WHERE NOT is_deleted",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')",
]

PG_CREATE = [
    # Stored, so that checking a post costs a comparison, not a parse: to find the
    # newest posts with a common word the planner walks posts newest first and
    # tests each one (about 25 times cheaper than to_tsvector per row).
    f"ALTER TABLE inbox_post ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector"
    f" GENERATED ALWAYS AS (to_tsvector('{PG_CONFIG}'::regconfig, text)) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON inbox_post USING gin ({PG_COLUMN}) WHERE NOT is_deleted",
]
PG_DROP = [
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    f"ALTER TABLE inbox_post DROP COLUMN IF EXISTS {PG_COLUMN}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
]


def create_pg_config(connection) -> bool:
    """Create the text search configuration; True when accents are folded.

    unaccent is a trusted extension (PostgreSQL 13+), so a database owner may
    create it; where the server lacks it, search still works, accent-sensitive.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
        if cursor.fetchone():
            cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent'")
            return cursor.fetchone() is not None
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        has_unaccent = True
    except DatabaseError:  # not installed on this server, or not permitted
        has_unaccent = False
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
        if has_unaccent:
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG}"
                " ALTER MAPPING FOR word, hword, hword_part, numword, numhword WITH unaccent, simple"
            )
    return has_unaccent


def install(connection) -> None:
    """Create the search index objects when missing (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS_TABLE}'")
            existed = cursor.fetchone() is not None
            for statement in SQLITE_CREATE:
                cursor.execute(statement)
            if not existed:
                for statement in SQLITE_FILL:
                    cursor.execute(statement)
        elif connection.vendor == "postgresql":
            create_pg_config(connection)
            for statement in PG_CREATE:
                cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(connection.vendor, [])
        for statement in statements:
            cursor.execute(statement)


def ensure_triggers(connection) -> bool:
    """Recreate missing SQLite triggers; True when some were missing.

    Django rebuilds a SQLite table to alter a column, which drops its
    triggers; this runs after every migrate to put them back.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM sqlite_master WHERE name = '{FTS_TABLE}' OR type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present or present.issuperset(SQLITE_TRIGGERS):
            return False
        for statement in SQLITE_CREATE[1:]:
            cursor.execute(statement)
    return True


def rebuild(connection) -> int:
    """Rebuild the whole index from the posts; returns how many posts are indexed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks pending in this transaction block table rewrites.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Everything again: the configuration (unaccent may have been installed
            # since), every stored vector, the index.
            for statement in PG_DROP:
                cursor.execute(statement)
    install(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_FILL:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE inbox_post")
        cursor.execute("SELECT count(*) FROM inbox_post WHERE NOT is_deleted")
        return cursor.fetchone()[0]


def restore_triggers_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate receiver (connected in apps.py)."""
    from django.db import connections

    ensure_triggers(connections[using])


def optimise(connection=default_connection) -> bool:
    """SQLite: merge every segment of the FTS5 index, so terms of deleted or rewritten posts leave its
    pages (until then they only stop matching). Rewrites the whole index; True when it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if not cursor.fetchone():
            return False
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return True
