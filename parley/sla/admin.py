"""Calendars and SLA policies are configuration (validated on save); alerts and follow-ups are read here."""

from django.contrib import admin

from .models import BusinessCalendar, FollowUp, ImplicitFeedback, Resolution, SlaAlert, SlaPolicy


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "team")
    list_filter = ("brand",)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "position", "enabled", "first_response_minutes", "next_response_minutes",
                    "resolution_minutes", "business_hours", "min_priority", "vip")
    list_filter = ("brand", "enabled")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SlaAlert)
class SlaAlertAdmin(ReadOnly):
    list_display = ("conversation", "kind", "level", "started_at", "created_at", "emailed")
    list_filter = ("brand", "kind", "level")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly):
    list_display = ("text", "conversation", "assignee", "due_at", "state")
    list_filter = ("brand", "state")


@admin.register(Resolution)
class ResolutionAdmin(ReadOnly):
    list_display = ("conversation", "resolved_at", "agent", "proposal", "decided_by", "decided_at")
    list_filter = ("brand", "proposal")


@admin.register(ImplicitFeedback)
class ImplicitFeedbackAdmin(ReadOnly):
    list_display = ("conversation", "kind", "after", "agent", "created_at")
    list_filter = ("brand", "kind", "after")
