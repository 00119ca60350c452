from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("<int:channel_id>/", views.channel_detail, name="detail"),
    path("<int:channel_id>/test/", views.test_connection, name="test"),
    path("<int:channel_id>/human-agent/", views.human_agent, name="human-agent"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:post_id>/retry/", views.retry, name="retry"),
    path("posts/<int:post_id>/<slug:action>/", views.post_action, name="post-action"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:delivery_id>/replay/", views.replay, name="replay"),
]
