from django.urls import path

from . import closebook_views, views

app_name = "sla"

urlpatterns = [
    path("", views.follow_ups, name="follow_ups"),
    path("<int:follow_up_id>/done/", views.done, name="done"),
    path("<int:follow_up_id>/snooze/", views.snooze, name="snooze"),
    path("closing/<int:resolution_id>/send/", closebook_views.send, name="closing_send"),
    path("closing/<int:resolution_id>/dismiss/", closebook_views.dismiss, name="closing_dismiss"),
]
