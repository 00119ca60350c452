from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("new/", views.edit, name="new"),
    path("<int:rule_id>/", views.edit, name="edit"),
    path("<int:rule_id>/delete/", views.delete, name="delete"),
    path("preview/", views.preview, name="preview"),
]

urlpatterns += [
    path("<int:rule_id>/move/", views.move, name="move"),
    path("<int:rule_id>/enabled/", views.toggle, name="toggle"),
]
