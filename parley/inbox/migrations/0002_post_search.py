"""Full-text search over post text: FTS5 on SQLite, a GIN index on PostgreSQL.

The statements live in parley.inbox.search so that `parley reindex_search`
rebuilds exactly what this migration creates. Other databases get nothing
(search falls back to substring matching there).
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from parley.inbox import search

    search.install(schema_editor.connection)


def drop_index(apps, schema_editor):
    from parley.inbox import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
