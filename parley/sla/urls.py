from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("", views.follow_ups, name="follow_ups"),
    path("<int:follow_up_id>/done/", views.done, name="done"),
    path("<int:follow_up_id>/snooze/", views.snooze, name="snooze"),
]
