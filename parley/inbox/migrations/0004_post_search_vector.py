"""PostgreSQL: search a stored tsvector column instead of an expression.

Databases migrated by the first version of 0002 have a GIN index over
to_tsvector(text) and no column; give them the column and index that 0002
now creates. Fresh databases already have both, and SQLite is untouched.
"""

from django.db import migrations


def add_search_vector(apps, schema_editor):
    from parley.inbox import search

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'inbox_post' AND column_name = %s",
            [search.PG_COLUMN],
        )
        if cursor.fetchone():
            return
        cursor.execute(f"DROP INDEX IF EXISTS {search.PG_INDEX}")
    search.install(connection)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0003_conversation_list_indexes")]

    operations = [migrations.RunPython(add_search_vector, migrations.RunPython.noop, elidable=False)]
