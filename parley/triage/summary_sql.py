"""The triage summary's flags computed by the database itself: one INSERT … SELECT per chunk of conversations.

`summary.rebuild()` uses this instead of reading every triage row into Python:
the statement derives the same flags as `summary.flags_of` (the reference;
tests/triage/test_summary_reference.py compares both) from the rows where
they lie, and the flags never travel to the client. Its pieces are generated
from the same constants (PAIRS, SEVERITY_LEVELS, TROLL_MIN, NEEDS_RESPONSE_MIN, MAX_FLAG), so a new
pair needs no SQL written by hand. One statement serves PostgreSQL and SQLite;
only their JSON functions and the list of conversation ids differ (DIALECTS).

Where SQL and Python could differ, the Python rule is followed exactly:
- topic names are lowered as Python's `str.lower` does: ASCII names by the
  database (A-Z only: PostgreSQL under the "C" collation, SQLite's lower()),
  the others through a {name: lowered} map the client computes for the chunk's
  non-ASCII names (PostgreSQL's lower() of "İ" is not Python's);
- "private data posted" is Python's truthiness of the JSON value (a non-empty
  list, object or string, a non-zero number, true);
- only a JSON list of topics counts, and only its non-empty strings.
"""

from __future__ import annotations

from .summary import MAX_FLAG, NEEDS_RESPONSE, NEEDS_RESPONSE_MIN, PAIRS, SEVERITY_LEVELS, TROLL_MIN

# The closed-vocabulary kinds: (kind, triage column); a value with "&" gets no flag (summary.KIND_ORDER).
_TEXT_KINDS = (("intent", "intent"), ("sentiment", "sentiment"), ("outcome", "desired_outcome"),
               ("language", "language"))

# Per database: the chunk's conversation ids (parameter `ids`), a JSON list's elements as rows (e),
# JSON types and emptiness (for Python's truthiness), the {name: lowered} map lookup, string tests.
DIALECTS = {
    "postgresql": {
        "in_ids": "= ANY(%(ids)s)",
        "elements": "jsonb_array_elements(CASE WHEN jsonb_typeof({x}) = 'array' THEN {x} ELSE '[]'::jsonb END) "
                    "AS e(value)",
        # element_text is put in as it is (never formatted): single braces.
        "element_text": "(e.value #>> '{}')", "element_is_string": "jsonb_typeof(e.value) = 'string'",
        "typeof": "jsonb_typeof({x})", "true": "{x} = 'true'::jsonb",
        "empty": {"array": "{x} = '[]'::jsonb", "object": "{x} = '{{}}'::jsonb",
                  "string": "{x} = '\"\"'::jsonb", "number": "{x} = '0'::jsonb"},
        "lowered": "(%(lowered)s::jsonb ->> {name})", "ascii_lower": "lower({name} COLLATE \"C\")",
        "is_ascii": "octet_length({name}) = char_length({name})", "length": "char_length({x})",
        "has_amp": "strpos({x}, '&') > 0", "is_true": "{x} IS TRUE",
    },
    "sqlite": {
        "in_ids": "IN (SELECT value FROM json_each(%(ids)s))",
        "elements": "json_each(CASE WHEN json_type({x}) = 'array' THEN {x} ELSE '[]' END) AS e",
        "element_text": "e.value", "element_is_string": "e.type = 'text'",
        "typeof": "json_type({x})", "true": "json_type({x}) = 'true'",
        "empty": {"array": "json_array_length({x}) = 0", "object": "(SELECT count(*) FROM json_each({x})) = 0",
                  "text": "json_extract({x}, '$') = ''", "integer": "json_extract({x}, '$') = 0",
                  "real": "json_extract({x}, '$') = 0"},
        "lowered": "(SELECT m.value FROM json_each(%(lowered)s) AS m WHERE m.key = {name})",
        "ascii_lower": "lower({name})", "is_ascii": "length(CAST({name} AS BLOB)) = length({name})",
        "length": "length({x})", "has_amp": "instr({x}, '&') > 0", "is_true": "{x} = 1",
    },
}


def _python_truthy(d: dict, x: str) -> str:
    """SQL for Python's bool() of a JSON value."""
    typeof = d["typeof"].format(x=x)
    whens = " ".join(f"WHEN '{kind}' THEN NOT ({empty.format(x=x)})" for kind, empty in d["empty"].items())
    return f"(CASE {typeof} {whens} ELSE {d['true'].format(x=x)} END)"


def flags_insert_sql(vendor: str, *, flag_table: str, flag_conversation: str, flag_column: str,
                     triage_table: str, triage_post: str, post_table: str, post_pk: str,
                     post_conversation: str) -> str:
    """The statement (quoted names given) that inserts the flags of the conversations %(ids)s.

    Parameters: ids (conversation ids: a list on PostgreSQL, its JSON text on SQLite), lowered
    ({non-ASCII topic name: name.lower()}, JSON text).
    """
    d = DIALECTS[vendor]
    texts = "\n    UNION ALL ".join(
        f"SELECT t.c, t.pid, '{kind}' AS kind, '{kind}:' || t.{column} AS flag FROM t "
        f"WHERE t.{column} <> '' AND NOT ({d['has_amp'].format(x='t.' + column)})"
        for kind, column in _TEXT_KINDS)
    levels = " UNION ALL ".join(f"SELECT {level} AS level" for level in SEVERITY_LEVELS)
    pairs = " OR ".join(f"(a.kind = '{first}' AND b.kind = '{second}')" for first, second in PAIRS)
    name = d["element_text"]
    lowered = (f"CASE WHEN {d['is_ascii'].format(name=name)} THEN {d['ascii_lower'].format(name=name)} "
               f"ELSE {d['lowered'].format(name=name)} END")
    return f"""
WITH t AS (
    SELECT p.{post_conversation} AS c, tr.{triage_post} AS pid, tr.intent, tr.sentiment, tr.desired_outcome,
           tr.outcome_unclear, tr.severity, tr.troll, tr.private_data_posted, tr.topics, tr.language,
           tr.needs_response
    FROM {triage_table} tr JOIN {post_table} p ON p.{post_pk} = tr.{triage_post}
    WHERE p.{post_conversation} {d['in_ids']}
), atoms AS (
    {texts}
    UNION ALL SELECT t.c, t.pid, 'outcome', 'outcome:unclear' FROM t WHERE {d['is_true'].format(x='t.outcome_unclear')}
    UNION ALL SELECT t.c, t.pid, 'needs_response', '{NEEDS_RESPONSE}' FROM t
    WHERE t.needs_response >= {float(NEEDS_RESPONSE_MIN)!r}
    UNION ALL SELECT t.c, t.pid, 'severity', 'severity>=' || lv.level
    FROM t JOIN ({levels}) AS lv ON t.severity >= lv.level
    UNION ALL SELECT t.c, t.pid, 'topic', 'topic:' || {lowered}
    FROM t CROSS JOIN {d['elements'].format(x='t.topics')}
    WHERE {d['element_is_string']} AND {name} <> ''
), flags AS (
    SELECT c, flag FROM atoms
    UNION ALL SELECT c, 'troll' FROM t WHERE t.troll >= {float(TROLL_MIN)!r}
    UNION ALL SELECT c, 'private_data' FROM t WHERE {_python_truthy(d, 't.private_data_posted')}
    UNION ALL SELECT a.c, a.flag || '&' || b.flag FROM atoms a JOIN atoms b ON b.pid = a.pid AND ({pairs})
)
INSERT INTO {flag_table} ({flag_conversation}, {flag_column})
SELECT DISTINCT c, flag FROM flags WHERE flag IS NOT NULL AND {d['length'].format(x='flag')} <= {int(MAX_FLAG)}
ORDER BY 1, 2
ON CONFLICT DO NOTHING
"""


def non_ascii_topics_sql(vendor: str, *, triage_table: str, triage_post: str, post_table: str, post_pk: str,
                         post_conversation: str) -> str:
    """The distinct non-ASCII topic names of the conversations %(ids)s' triage (to be lowered by Python)."""
    d = DIALECTS[vendor]
    name = d["element_text"]
    return f"""
SELECT DISTINCT {name}
FROM {triage_table} tr JOIN {post_table} p ON p.{post_pk} = tr.{triage_post}
CROSS JOIN {d['elements'].format(x='tr.topics')}
WHERE p.{post_conversation} {d['in_ids']} AND {d['element_is_string']} AND NOT ({d['is_ascii'].format(name=name)})
"""


def insert_flags(db: str, flag_model, triage_model, conversation_ids: list[int]) -> None:
    """Insert the flags of these conversations (whose old flags are gone) in the database itself."""
    import json

    from django.db import connections

    connection = connections[db]
    vendor = connection.vendor
    quote = connection.ops.quote_name
    post_model = triage_model._meta.get_field("post").related_model
    names = dict(
        triage_table=quote(triage_model._meta.db_table), triage_post=quote(triage_model._meta.get_field("post").column),
        post_table=quote(post_model._meta.db_table), post_pk=quote(post_model._meta.pk.column),
        post_conversation=quote(post_model._meta.get_field("conversation").column))
    ids = conversation_ids if vendor == "postgresql" else json.dumps(conversation_ids)
    with connection.cursor() as cursor:
        cursor.execute(non_ascii_topics_sql(vendor, **names), {"ids": ids})
        lowered = {name: name.lower() for (name,) in cursor.fetchall()}
        cursor.execute(flags_insert_sql(
            vendor, flag_table=quote(flag_model._meta.db_table),
            flag_conversation=quote(flag_model._meta.get_field("conversation").column),
            flag_column=quote(flag_model._meta.get_field("flag").column), **names),
            {"ids": ids, "lowered": json.dumps(lowered)})
