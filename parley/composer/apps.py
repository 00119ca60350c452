from django.apps import AppConfig


class ComposerConfig(AppConfig):
    name = "parley.composer"
    label = "composer"
    verbose_name = "Composer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from parley.triage.models import PostTriage

        from parley.inbox import signals

        from .listeners import post_deleted
        from .praise_actions import triage_saved

        post_save.connect(triage_saved, sender=PostTriage, dispatch_uid="composer.auto_like")
        signals.add_post_deleted_listener(post_deleted)
