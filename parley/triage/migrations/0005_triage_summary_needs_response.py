"""The triage summary gains the flag `needs_response` (needs_response >= summary.NEEDS_RESPONSE_MIN) and
the combined flag of intent + needs response (`intent:question&needs_response`): backfilled for every
conversation by `summary.rebuild` (in SQL on both databases)."""

from django.db import migrations

from parley.triage.summary import migration_rebuild as rebuild


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0004_triage_summary_pair_flags'),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
