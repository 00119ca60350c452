from django.apps import AppConfig


class ComposerConfig(AppConfig):
    name = "parley.composer"
    label = "composer"
    verbose_name = "Composer"
    default_auto_field = "django.db.models.BigAutoField"
