from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "parley.sla"
    label = "sla"
    verbose_name = "SLAs and follow-ups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from parley.inbox import signals
        from parley.inbox.models import Customer, Post

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

        # The stored next due times (parley.sla.stored).
        from . import stored
        from .models import BusinessCalendar, SlaPolicy

        signals.add_conversation_saving_listener(stored.conversation_saving)
        signals.add_conversations_changed_listener(stored.refresh)
        for model in (SlaPolicy, BusinessCalendar):
            post_save.connect(stored.rules_saved, sender=model, dispatch_uid=f"sla.due_{model.__name__}_saved")
            post_delete.connect(stored.rules_saved, sender=model, dispatch_uid=f"sla.due_{model.__name__}_deleted")
        post_save.connect(stored.customer_saved, sender=Customer, dispatch_uid="sla.due_customer_saved")
        pre_delete.connect(stored.customer_deleting, sender=Customer, dispatch_uid="sla.due_customer_deleting")
        post_delete.connect(stored.customer_deleted, sender=Customer, dispatch_uid="sla.due_customer_deleted")
