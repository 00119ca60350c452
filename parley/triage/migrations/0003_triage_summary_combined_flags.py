"""The triage summary gains the combined flags `severity>=N&topic:<name>` (summary.combined_flag)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    """Recompute every conversation's flags with this migration's models (parley.triage.summary.rebuild)."""
    from parley.triage.summary import rebuild

    rebuild(flag_model=apps.get_model("triage", "ConversationTriageFlag"),
            triage_model=apps.get_model("triage", "PostTriage"))


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0002_conversation_triage_flags'),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
