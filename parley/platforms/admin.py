from django.contrib import admin, messages

from . import actions
from .models import ChannelAccount, OutboxItem, WebhookDelivery


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    list_display = ("__str__", "brand", "platform", "status", "has_credentials")
    list_filter = ("brand", "platform", "status")
    # Credentials are encrypted and never shown: the field is not editable here.
    exclude = ("credentials_encrypted",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Inspect stored deliveries; replay dead letters (processing is idempotent)."""

    list_display = ("id", "platform", "state", "received_at", "attempts", "short_error")
    list_filter = ("platform", "state")
    readonly_fields = ("platform", "key", "received_at", "state", "attempts", "processed_at", "summary", "error", "body_text")
    exclude = ("body",)
    actions = ["replay"]

    @admin.display(description="error")
    def short_error(self, obj):
        return obj.error.splitlines()[0][:120] if obj.error else ""

    @admin.display(description="body")
    def body_text(self, obj):
        return obj.text()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Replay the selected deliveries")
    def replay(self, request, queryset):
        for delivery in queryset:
            actions.replay_delivery(delivery, request.user)
        messages.success(request, f"{queryset.count()} queued again.")


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):
    list_display = ("id", "brand", "channel", "action", "state", "attempts", "next_attempt_at", "last_error")
    list_filter = ("state", "action", "brand")
    readonly_fields = [f.name for f in OutboxItem._meta.fields]

    def has_add_permission(self, request):
        return False
