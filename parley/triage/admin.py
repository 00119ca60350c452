from django.contrib import admin

from parley.inbox.admin import ReadOnlyAdmin

from .models import PostTriage, TriageCorrection


@admin.register(PostTriage)
class PostTriageAdmin(ReadOnlyAdmin):
    list_display = ("post", "status", "intent", "sentiment", "severity", "desired_outcome", "priority",
                    "model_version", "triaged_at")
    list_filter = ("status", "intent", "sentiment", "desired_outcome", "profile")
    raw_id_fields = ("post",)


@admin.register(TriageCorrection)
class TriageCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("post", "field", "old_value", "new_value", "user", "created_at")
    list_filter = ("field",)
    raw_id_fields = ("post",)
