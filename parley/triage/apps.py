from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "parley.triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from parley.inbox import signals

        from django.db.models.signals import post_save

        from .listeners import post_deleted, post_ingested
        from .models import PostTriage
        from .summary import refresh, triage_saved

        signals.add_post_ingested_listener(post_ingested)
        signals.add_posts_moved_listener(refresh)
        signals.add_post_deleted_listener(post_deleted)
        post_save.connect(triage_saved, sender=PostTriage, dispatch_uid="triage-summary")
