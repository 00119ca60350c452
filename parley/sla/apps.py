from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "parley.sla"
    label = "sla"
    verbose_name = "SLAs and follow-ups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from parley.inbox import signals
        from parley.inbox.models import Post

        from .listeners import post_ingested, post_saved

        post_save.connect(post_saved, sender=Post, dispatch_uid="sla.promises_from_replies")
        signals.add_post_ingested_listener(post_ingested)
