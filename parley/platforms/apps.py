from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "parley.platforms"
    label = "platforms"
    verbose_name = "Channel accounts"

    def ready(self):
        from django.db.models.signals import post_save

        from parley.inbox import signals
        from parley.inbox.models import Post

        from .hooks import queue_new_reply
        from .scrub import post_deleted

        post_save.connect(queue_new_reply, sender=Post, dispatch_uid="parley.platforms.queue_new_reply")
        signals.add_post_deleted_listener(post_deleted)
