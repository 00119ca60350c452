"""Writing many rows of one model quickly, with their primary keys chosen first.

bulk_create spends most of its time preparing each value of each row through
the ORM (about 25 fields per post). The importer writes plain rows instead:
values are converted once per field type (only datetimes and JSON need the
database's own adaptation; strings, numbers, booleans and keys pass as they
are) and inserted with multi-row INSERT statements of a few hundred rows each
on SQLite (one statement per row would be slower there: the full-text index's
trigger flushes its pending terms at the end of every statement), and with
COPY on PostgreSQL. Keys are
chosen up front, so posts can name their parents and conversations in the same
pass:

- SQLite: the batch holds the write lock (Parley opens transactions with
  BEGIN IMMEDIATE), so the next keys are those after the largest used,
  counting sqlite_sequence so AUTOINCREMENT never reuses a key;
- PostgreSQL: keys are drawn from the table's own sequence.

Fields a row does not name take their model default (auto_now fields: now).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from django.conf import settings
from django.db import connection, connections, models

# Field types whose Python values the drivers take as they are.
_PLAIN = frozenset(
    {
        "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "BooleanField", "CharField",
        "EmailField", "ForeignKey", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
    }
)
MAX_ROWS_PER_STATEMENT = 500


class Table:
    """One model's table: allocate keys, select, insert and update rows."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.model = model
        self.name = meta.db_table
        self.pk = meta.pk
        self.fields = list(meta.concrete_fields)
        self._by_name = {f.attname: f for f in self.fields} | {f.name: f for f in self.fields}
        self._statements: dict[tuple, str] = {}

    # --- keys -------------------------------------------------------------------------------

    def allocate(self, count: int) -> list[int]:
        """`count` fresh primary keys (inside the batch's transaction)."""
        if count == 0:
            return []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [quote(self.name), self.pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX({quote(self.pk.column)}) FROM {quote(self.name)}")
            largest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.name])
                row = cursor.fetchone()
                largest = max(largest, row[0] if row else 0)
        return list(range(largest + 1, largest + 1 + count))

    # --- reading ----------------------------------------------------------------------------

    def select_in(
        self, names: list[str], equal: dict[str, object], among: str, values, chunk: int, lock: bool = False
    ) -> Iterator[tuple]:
        """Rows (tuples of `names`) whose `equal` fields match and whose `among` field is one of `values`.

        Datetimes come back aware, in UTC. With `lock`, PostgreSQL locks the rows
        for the rest of the transaction (SQLite's write lock covers the database).
        """
        quote = connection.ops.quote_name
        mark = _mark()
        fields = [self._by_name[n] for n in names]
        times = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
        where = " AND ".join(f"{quote(self._by_name[n].column)} = {mark}" for n in equal)
        head = (
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(self.name)} WHERE "
            + (where + " AND " if where else "")
            + f"{quote(self._by_name[among].column)} IN "
        )
        postgres = connection.vendor == "postgresql"
        tail = " FOR UPDATE" if lock and postgres else ""
        values = list(values)
        with _cursor() as cursor:
            for start in range(0, len(values), chunk):
                part = values[start : start + chunk]
                if postgres:  # one array parameter: psycopg parses long lists of marks slowly
                    cursor.execute(head[: -len(" IN ")] + " = ANY(%s)" + tail, [*equal.values(), part])
                else:
                    cursor.execute(head + "(" + ", ".join([mark] * len(part)) + ")" + tail, [*equal.values(), *part])
                for row in cursor.fetchall():
                    if times:
                        row = list(row)
                        for i in times:
                            row[i] = _aware(row[i])
                    yield tuple(row)

    # --- writing ----------------------------------------------------------------------------

    def insert(self, names: list[str], rows: list[tuple], now: datetime) -> None:
        """Insert `rows`, tuples of the fields `names` (attnames, the primary key included)."""
        if not rows:
            return
        real = connections[connection.alias]
        given = [self._by_name[n] for n in names]
        named = {f.attname for f in given}
        rest = [f for f in self.fields if f.attname not in named]
        if self.pk.attname not in named:
            raise ValueError(f"{self.name}: rows must carry their primary key")
        defaults = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()  # the model default, "" or None
            convert = _converter(field, real)
            defaults.append(convert(value) if convert is not None and value is not None else value)
        converters = [(i, c) for i, c in enumerate(_converter(f, real) for f in given) if c is not None]
        columns = [f.column for f in given + rest]
        width = len(columns)
        flat: list = []
        for row in rows:
            if converters:
                row = list(row)
                for i, convert in converters:
                    value = row[i]
                    if value is not None:
                        row[i] = convert(value)
            flat.extend(row)
            flat.extend(defaults)
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = f"COPY {quote(self.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for start in range(0, len(flat), width):
                    copy.write_row(flat[start : start + width])
            return
        per = self._rows_per_statement(width)
        with _cursor() as cursor:
            for start in range(0, len(rows), per):
                count = min(per, len(rows) - start)
                cursor.execute(
                    self._insert_sql(tuple(columns), count), flat[start * width : (start + count) * width]
                )

    def update(self, names: list[str], rows: list[tuple]) -> None:
        """Set the fields `names` of each row; each tuple holds their values, then the key."""
        if not rows:
            return
        real = connections[connection.alias]
        fields = [self._by_name[n] for n in names]
        quote = connection.ops.quote_name
        mark = _mark()
        sets = ", ".join(f"{quote(f.column)} = {mark}" for f in fields)
        sql = f"UPDATE {quote(self.name)} SET {sets} WHERE {quote(self.pk.column)} = {mark}"
        converters = [(i, c) for i, c in enumerate(_converter(f, real) for f in fields) if c is not None]
        values = []
        for row in rows:
            row = list(row)
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            values.append(row)
        with _cursor() as cursor:
            cursor.executemany(sql, values)

    def _insert_sql(self, columns: tuple[str, ...], rows: int) -> str:
        key = (columns, rows)
        sql = self._statements.get(key)
        if sql is None:
            quote = connection.ops.quote_name
            marks = "(" + ", ".join([_mark()] * len(columns)) + ")"
            sql = self._statements[key] = (
                f"INSERT INTO {quote(self.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
                + ", ".join([marks] * rows)
            )
        return sql

    @staticmethod
    def _rows_per_statement(width: int) -> int:
        params = connection.features.max_query_params or 65535
        if connection.vendor == "sqlite":
            try:
                import sqlite3

                connection.ensure_connection()
                params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            except Exception:  # an older driver without getlimit: Django's conservative figure
                pass
        return max(1, min(MAX_ROWS_PER_STATEMENT, params // width))


def _mark() -> str:
    """The driver's own parameter mark (see _cursor)."""
    return "?" if connection.vendor == "sqlite" else "%s"


@contextmanager
def _cursor():
    """A cursor of the database driver itself, inside Django's transaction.

    Django's SQLite cursor rewrites %s marks with a regular expression on every
    call, which costs milliseconds on a statement of a few thousand marks; the
    driver's cursor takes ? marks as they are. Elsewhere Django's cursor is the
    driver's own format already.
    """
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _converter(field, real_connection):
    """A function giving the database value of a Python value of `field`, or None if it needs none."""
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind == "DateTimeField" and _sqlite_utc_times(real_connection):
        convert = sqlite_time
    else:

        def convert(value):
            return field.get_db_prep_save(value, real_connection)

    last = [None, None]

    def remembered(value):
        # Rows often repeat one value (the import's received_at, "now"): convert it once.
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return remembered


def _sqlite_utc_times(real_connection) -> bool:
    """True where Django stores datetimes as naive UTC text (SQLite, USE_TZ, no TIME_ZONE option)."""
    return (
        real_connection.vendor == "sqlite"
        and settings.USE_TZ
        and real_connection.settings_dict.get("TIME_ZONE") is None
    )


def _aware(value):
    """A datetime read back from the driver, aware and in UTC (SQLite gives text)."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc)


def sqlite_time(value: datetime) -> str:
    """What Django's SQLite backend writes for an aware datetime: naive UTC, str() format."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} while time zone support is active")
    if value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    return value.isoformat(" ")[:-6]  # without "+00:00": the same text as str() of the naive time


