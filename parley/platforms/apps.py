from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "parley.platforms"
    label = "platforms"
    verbose_name = "Channel accounts"
