"""The triage summary's flags computed by PostgreSQL itself: one INSERT … SELECT per chunk of conversations.

`summary.rebuild()` uses this on PostgreSQL instead of reading every triage row
into Python: the statement derives the same flags as `summary.flags_of` (the
reference; tests/triage/test_summary_reference.py compares both) from the
rows where they lie, and the flags never travel to the client. Its pieces are
generated from the same constants (PAIRS, SEVERITY_LEVELS, TROLL_MIN, MAX_FLAG),
so a new pair needs no SQL written by hand.

Where SQL and Python could differ, the Python rule is followed exactly:
- topic names are lowered by Python (`str.lower`): ASCII names by PostgreSQL
  under the "C" collation (A-Z only, as Python), the others through a
  {name: lowered} map the client computes for the chunk's non-ASCII names;
- "private data posted" is Python's truthiness of the JSON value (a non-empty
  list, object or string, a non-zero number, true);
- only a JSON list of topics counts, and only its non-empty strings.
SQLite keeps the Python path (no LATERAL joins; its rebuild is CPU-bound in
one process either way).
"""

from __future__ import annotations

from .summary import MAX_FLAG, PAIRS, SEVERITY_LEVELS, TROLL_MIN

# The closed-vocabulary kinds: (kind, triage column); a value with "&" gets no flag (summary.KIND_ORDER).
_TEXT_KINDS = (("intent", "intent"), ("sentiment", "sentiment"), ("outcome", "desired_outcome"),
               ("language", "language"))


def _python_truthy(column: str) -> str:
    """SQL for Python's bool() of a jsonb value."""
    return (f"CASE jsonb_typeof({column}) WHEN 'array' THEN {column} <> '[]'::jsonb "
            f"WHEN 'object' THEN {column} <> '{{}}'::jsonb WHEN 'string' THEN {column} <> '\"\"'::jsonb "
            f"WHEN 'number' THEN {column} <> '0'::jsonb WHEN 'boolean' THEN {column} = 'true'::jsonb ELSE false END")


def flags_insert_sql(*, flag_table: str, flag_conversation: str, flag_column: str, triage_table: str,
                     triage_post: str, post_table: str, post_pk: str, post_conversation: str) -> str:
    """The statement (quoted names given) that inserts the flags of conversations %(ids)s; returns their triage rows.

    Parameters: ids (conversation ids), lowered ({non-ASCII topic name: name.lower()}, jsonb text).
    """
    texts = ",\n".join(
        f"('{kind}', '{kind}:' || t.{column}, t.{column} <> '' AND strpos(t.{column}, '&') = 0)"
        for kind, column in _TEXT_KINDS)
    levels = ", ".join(str(level) for level in SEVERITY_LEVELS)
    pairs = ", ".join(f"('{first}', '{second}')" for first, second in PAIRS)
    return f"""
WITH t AS MATERIALIZED (
    SELECT p.{post_conversation} AS c, tr.{triage_post} AS pid, tr.intent, tr.sentiment, tr.desired_outcome,
           tr.outcome_unclear, tr.severity, tr.troll, tr.private_data_posted, tr.topics, tr.language
    FROM {triage_table} tr JOIN {post_table} p ON p.{post_pk} = tr.{triage_post}
    WHERE p.{post_conversation} = ANY(%(ids)s)
), atoms AS MATERIALIZED (
    SELECT t.c, t.pid, a.kind, a.flag FROM t CROSS JOIN LATERAL (VALUES
        {texts},
        ('outcome', 'outcome:unclear', t.outcome_unclear IS TRUE)
    ) AS a(kind, flag, ok) WHERE a.ok
    UNION ALL
    SELECT t.c, t.pid, 'severity', 'severity>=' || level
    FROM t CROSS JOIN LATERAL unnest(ARRAY[{levels}]) AS level WHERE t.severity >= level
    UNION ALL
    SELECT t.c, t.pid, 'topic', 'topic:' || CASE WHEN octet_length(n.name) = char_length(n.name)
        THEN lower(n.name COLLATE "C") ELSE %(lowered)s::jsonb ->> n.name END
    FROM t CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(t.topics) = 'array' THEN t.topics ELSE '[]'::jsonb END) AS e(value)
    CROSS JOIN LATERAL (SELECT e.value #>> '{{}}') AS n(name)
    WHERE jsonb_typeof(e.value) = 'string' AND n.name <> ''
), flags AS (
    SELECT c, flag FROM atoms
    UNION ALL SELECT c, 'troll' FROM t WHERE t.troll >= {float(TROLL_MIN)!r}
    UNION ALL SELECT c, 'private_data' FROM t WHERE {_python_truthy("t.private_data_posted")}
    UNION ALL SELECT a.c, a.flag || '&' || b.flag
    FROM atoms a JOIN atoms b ON b.pid = a.pid AND (a.kind, b.kind) IN ({pairs})
), written AS (
    INSERT INTO {flag_table} ({flag_conversation}, {flag_column})
    SELECT DISTINCT c, flag FROM flags WHERE flag IS NOT NULL AND char_length(flag) <= {int(MAX_FLAG)}
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM written)
"""


def non_ascii_topics_sql(*, triage_table: str, triage_post: str, post_table: str, post_pk: str,
                         post_conversation: str) -> str:
    """The distinct non-ASCII topic names of conversations %(ids)s' triage (to be lowered by Python)."""
    return f"""
SELECT DISTINCT e.value #>> '{{}}'
FROM {triage_table} tr JOIN {post_table} p ON p.{post_pk} = tr.{triage_post}
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(tr.topics) = 'array' THEN tr.topics ELSE '[]'::jsonb END) AS e(value)
WHERE p.{post_conversation} = ANY(%(ids)s) AND jsonb_typeof(e.value) = 'string'
  AND octet_length(e.value #>> '{{}}') <> char_length(e.value #>> '{{}}')
"""


def insert_flags(db: str, flag_model, triage_model, conversation_ids: list[int]) -> int:
    """Insert the flags of these conversations (whose old flags are gone) in PostgreSQL; returns triage rows read."""
    import json

    from django.db import connections

    connection = connections[db]
    quote = connection.ops.quote_name
    post_model = triage_model._meta.get_field("post").related_model
    names = dict(
        triage_table=quote(triage_model._meta.db_table), triage_post=quote(triage_model._meta.get_field("post").column),
        post_table=quote(post_model._meta.db_table), post_pk=quote(post_model._meta.pk.column),
        post_conversation=quote(post_model._meta.get_field("conversation").column))
    with connection.cursor() as cursor:
        cursor.execute(non_ascii_topics_sql(**names), {"ids": conversation_ids})
        lowered = {name: name.lower() for (name,) in cursor.fetchall()}
        cursor.execute(flags_insert_sql(
            flag_table=quote(flag_model._meta.db_table),
            flag_conversation=quote(flag_model._meta.get_field("conversation").column),
            flag_column=quote(flag_model._meta.get_field("flag").column), **names),
            {"ids": conversation_ids, "lowered": json.dumps(lowered)})
        return cursor.fetchone()[0]
