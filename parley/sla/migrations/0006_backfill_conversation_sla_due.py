from django.db import migrations


def backfill(apps, schema_editor):
    """Every conversation's stored SLA due times, from the policies and calendars already there
    (parley.sla.stored.rebuild with this migration's models)."""
    from parley.sla.stored import rebuild

    rebuild(conversation_model=apps.get_model("inbox", "Conversation"),
            policy_model=apps.get_model("sla", "SlaPolicy"),
            calendar_model=apps.get_model("sla", "BusinessCalendar"))


class Migration(migrations.Migration):
    # One transaction per chunk of conversations (a large history is not held in one).
    atomic = False

    dependencies = [
        ("inbox", "0007_conversation_sla_due"),
        ("sla", "0005_resolutions_and_implicit_feedback"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
