from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "parley.server"
    label = "server"
    verbose_name = "Server processes"

    def ready(self):
        from . import periodic

        periodic.discover()
