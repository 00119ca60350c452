from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "parley.routing"
    label = "routing"
    verbose_name = "Routing and assignment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from parley.inbox import signals
        from parley.triage.models import PostTriage

        from .listeners import post_ingested, triage_saved

        signals.add_post_ingested_listener(post_ingested)
        post_save.connect(triage_saved, sender=PostTriage, dispatch_uid="routing.triage_saved")
