from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "parley.server"
    label = "server"
    verbose_name = "Server processes"
