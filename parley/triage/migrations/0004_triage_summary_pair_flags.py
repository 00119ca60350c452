"""The triage summary gains the combined flags of more filter pairs (summary.PAIRS): intent + severity,
intent + topic, sentiment + topic, intent + language, intent + sentiment."""

from django.db import migrations


def rebuild(apps, schema_editor):
    """Recompute every conversation's flags with this migration's models (parley.triage.summary.rebuild)."""
    from parley.triage.summary import rebuild

    rebuild(flag_model=apps.get_model("triage", "ConversationTriageFlag"),
            triage_model=apps.get_model("triage", "PostTriage"))


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0003_triage_summary_combined_flags'),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
