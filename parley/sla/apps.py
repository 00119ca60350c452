from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "parley.sla"
    label = "sla"
    verbose_name = "SLAs and follow-ups"
    default_auto_field = "django.db.models.BigAutoField"
