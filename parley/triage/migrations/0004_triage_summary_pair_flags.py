"""The triage summary gains the combined flags of more filter pairs (summary.PAIRS): intent + severity,
intent + topic, sentiment + topic, intent + language, intent + sentiment."""

from django.db import migrations

from parley.triage.summary import migration_rebuild as rebuild


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0003_triage_summary_combined_flags'),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
