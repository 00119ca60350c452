from django.contrib import admin

from .models import AuditEvent, Conversation, Customer, Identity, Note, Post, Tag


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inbox data changes through Parley's actions (which audit them), not the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "brand", "is_vip", "created_at")
    list_filter = ("brand",)
    search_fields = ("display_name",)


@admin.register(Identity)
class IdentityAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "brand", "customer", "followers", "verified")
    list_filter = ("brand", "platform")
    search_fields = ("handle", "platform_user_id", "display_name")


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("ref", "brand", "status", "team", "assignee", "priority", "last_post_at")
    list_filter = ("brand", "status", "platform")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("platform", "platform_id", "brand", "direction", "kind", "created_at")
    list_filter = ("brand", "platform", "direction", "kind")
    exclude = ("raw",)


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ("conversation", "author", "created_at")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "brand")
    list_filter = ("brand",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "brand", "actor_label", "verb", "object_type", "object_id")
    list_filter = ("brand", "verb")
