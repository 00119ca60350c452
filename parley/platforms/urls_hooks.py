from django.urls import path

from . import webhooks

urlpatterns = [
    path("x/", webhooks.x_webhook, name="hooks-x"),
    path("meta/", webhooks.meta_webhook, name="hooks-meta"),
    path("email/", webhooks.email_webhook, name="hooks-email"),
    path("instagram/<int:channel_id>/", webhooks.instagram_channel_webhook, name="hooks-instagram"),
]
