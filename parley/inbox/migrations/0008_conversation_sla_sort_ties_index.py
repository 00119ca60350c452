"""The SLA sort's index gives its whole order on SQLite too: ties on the due time sorted by
"waiting_since IS NULL", then waiting_since (models.WAITING_IS_NULL; the same order as NULLS LAST),
instead of a temporary B-tree over every tie."""

import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inbox', '0007_conversation_sla_due'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='conversation',
            name='conv_active_sla',
        ),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(models.F('brand'), models.F('sla_due_at'), django.db.models.lookups.IsNull(models.F('waiting_since'), True), models.F('waiting_since'), models.F('last_post_at'), models.F('id'), models.F('team'), models.F('assignee'), models.F('priority'), models.F('platform'), models.F('channel'), condition=models.Q(('status__in', ('new', 'open', 'pending_customer', 'pending_internal'))), name='conv_active_sla'),
        ),
    ]
