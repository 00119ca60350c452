from django.contrib import admin

from .models import ChannelAccount


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    list_display = ("__str__", "brand", "platform", "status", "has_credentials")
    list_filter = ("brand", "platform", "status")
    # Credentials are encrypted and never shown: the field is not editable here.
    exclude = ("credentials_encrypted",)
