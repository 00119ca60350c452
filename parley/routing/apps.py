from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "parley.routing"
    label = "routing"
    verbose_name = "Routing and assignment"
    default_auto_field = "django.db.models.BigAutoField"
