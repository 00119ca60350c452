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

        from parley.inbox.models import Conversation
        from parley.triage.models import PostTriage

        from .closebook import conversation_resolved
        from .listeners import post_deleted, post_ingested, post_ingested_feedback, post_saved, triage_saved_feedback

        post_save.connect(post_saved, sender=Post, dispatch_uid="sla.promises_from_replies")
        signals.add_post_ingested_listener(post_ingested)
        post_save.connect(conversation_resolved, sender=Conversation, dispatch_uid="sla.close_the_book")
        signals.add_post_ingested_listener(post_ingested_feedback)
        signals.add_post_deleted_listener(post_deleted)
        post_save.connect(triage_saved_feedback, sender=PostTriage, dispatch_uid="sla.implicit_feedback")
