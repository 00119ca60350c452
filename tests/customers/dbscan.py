"""Search every column of every table (full-text tables and raw payloads included) for strings."""

from __future__ import annotations

from django.db import connection

from parley.inbox import search


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_hits(cursor, needle: str) -> list[str]:
    hits = []
    low = needle.lower()
    for table in _sqlite_tables(cursor):
        cursor.execute(f'PRAGMA table_info("{table}")')
        for column in [row[1] for row in cursor.fetchall()]:
            # As text (case-insensitive) and as raw bytes: BLOBs such as webhook bodies and the
            # FTS5 index pages (whose terms are stored lower-case).
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE instr(lower(CAST("{column}" AS TEXT)), %s) > 0'
                f' OR instr(CAST("{column}" AS BLOB), CAST(%s AS BLOB)) > 0'
                f' OR instr(CAST("{column}" AS BLOB), CAST(%s AS BLOB)) > 0',
                [low, needle, low],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    word = needle.split()[0]
    if word.isalnum():
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s", [f'"{word}"'])
        if cursor.fetchone()[0]:
            hits.append(f"{search.FTS_TABLE} MATCH")
    return hits


def _pg_hits(cursor, needle: str) -> list[str]:
    hits = []
    cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                   " AND table_type = 'BASE TABLE'")
    for (table,) in cursor.fetchall():
        # A row as text holds every column: bytea as hex, the search tsvector's lexemes.
        cursor.execute(f'SELECT count(*) FROM "{table}" t WHERE strpos(lower(t::text), %s) > 0', [needle.lower()])
        if cursor.fetchone()[0]:
            hits.append(table)
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                       " AND table_name = %s AND data_type = 'bytea'", [table])
        for (column,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE position(%s::bytea in "{column}") > 0'
                           f' OR position(%s::bytea in "{column}") > 0', [needle.encode(), needle.lower().encode()])
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    word = needle.split()[0]
    if word.isalnum():
        cursor.execute(f"SELECT count(*) FROM inbox_post WHERE {search.PG_COLUMN} @@ plainto_tsquery(%s, %s)",
                       [search.PG_CONFIG, word])
        if cursor.fetchone()[0]:
            hits.append("inbox_post.search_vector @@")
    return hits


def find_everywhere(needle: str) -> list[str]:
    """Where `needle` occurs in the database: "table.column" (or "table") names; [] when nowhere."""
    with connection.cursor() as cursor:
        return _pg_hits(cursor, needle) if connection.vendor == "postgresql" else _sqlite_hits(cursor, needle)
