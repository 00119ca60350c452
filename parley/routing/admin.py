"""Rules and availability are configuration: admins edit them here (validated on save)."""

from django.contrib import admin

from .models import Acknowledgement, AgentAvailability, RoutingResult, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "position", "enabled", "stop")
    list_filter = ("brand", "enabled")
    list_editable = ("position", "enabled")
    search_fields = ("name",)


@admin.register(AgentAvailability)
class AgentAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("user", "brand", "state", "last_assigned_at")
    list_filter = ("brand", "state")


@admin.register(RoutingResult)
class RoutingResultAdmin(admin.ModelAdmin):
    list_display = ("post", "conversation", "routed_at")
    readonly_fields = ("post", "conversation", "decision", "applied", "routed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(RoutingResultAdmin):
    list_display = ("conversation", "reason", "sent_at")
    readonly_fields = ("conversation", "post", "reason", "sent_at")
