from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "parley.triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from parley.inbox import signals

        from .listeners import post_ingested

        signals.add_post_ingested_listener(post_ingested)
