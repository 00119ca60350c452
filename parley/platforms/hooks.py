"""How the outbox hears of a new reply: a reply stored pending delivery is queued in the same transaction."""

from __future__ import annotations


def queue_new_reply(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of Post: queue a send when an outbound post is created pending on a connected channel.

    Channels without credentials (imported or demo accounts) are left alone: their replies stay
    pending until the channel is connected and `parley outbox queue-pending` is run.
    """
    if raw or not created or instance.direction != "out" or instance.delivery_status != "pending":
        return
    if instance.channel_id is None:
        return
    from . import actions, adapters

    channel = instance.channel
    if adapters.can_send(channel):
        actions.queue_outbox(instance, channel, actor=instance.author_user or "system")
