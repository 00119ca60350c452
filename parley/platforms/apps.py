from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "parley.platforms"
    label = "platforms"
    verbose_name = "Channel accounts"

    def ready(self):
        from django.db.models.signals import post_save

        from parley.inbox.models import Post

        from .hooks import queue_new_reply

        post_save.connect(queue_new_reply, sender=Post, dispatch_uid="parley.platforms.queue_new_reply")
