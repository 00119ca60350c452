from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "parley.customers"
    label = "customers"
    verbose_name = "Customers and data protection"
    default_auto_field = "django.db.models.BigAutoField"
