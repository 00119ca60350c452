from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "parley.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .search import restore_triggers_after_migrate

        # SQLite drops a table's triggers when Django rebuilds it; put the search ones back.
        post_migrate.connect(restore_triggers_after_migrate, sender=self)
