"""A brand's SLA alerts and coverage pages (mounted at /b/<brand>/)."""

from django.urls import path

from . import workflow_views as views

app_name = "workflow"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/count/", views.alert_count, name="alert_count"),
    path("alerts/seen/", views.alerts_seen, name="alerts_seen"),
    path("coverage/", views.coverage_page, name="coverage"),
]
