from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from parley.inbox.audit import record

from .actions import ActionError, archive_template, create_template, update_template
from .models import Approval, ReplyCheck, Template
from .rendering import TemplateError, validate


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = "__all__"

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            validate(body)
        except TemplateError as exc:
            raise forms.ValidationError(str(exc)) from None
        return body


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ("shortcut", "name", "brand", "team", "channel", "visibility", "intent", "desired_outcome",
                    "usage_count", "is_active")
    list_filter = ("brand", "is_active", "channel", "visibility", "intent")
    search_fields = ("shortcut", "name", "body")
    readonly_fields = ("usage_count", "last_used_at", "created_by", "created_at", "updated_at")
    fields = ("brand", "name", "shortcut", "body", "team", "channel", "visibility", "intent", "desired_outcome",
              "is_active", *readonly_fields)

    def save_model(self, request, obj, form, change):
        """Through the actions, so the body is validated and the change audited."""
        scopes = {name: form.cleaned_data.get(name) for name in ("team", "channel", "visibility", "intent",
                                                                  "desired_outcome")}
        try:
            if change:
                fields = {k: form.cleaned_data[k] for k in form.changed_data if k in ("name", "shortcut", "body", *scopes)}
                update_template(Template.objects.get(pk=obj.pk), request.user, **fields)
                if "is_active" in form.changed_data:
                    current = Template.objects.get(pk=obj.pk)
                    if not obj.is_active:
                        archive_template(current, request.user)
                    else:
                        Template.objects.filter(pk=obj.pk).update(is_active=True)
                        record(current.brand, request.user, "template.restored", current)
            else:
                created = create_template(obj.brand, request.user, name=obj.name, shortcut=obj.shortcut,
                                          body=obj.body, **scopes)
                obj.pk = created.pk
        except ActionError as exc:
            raise PermissionDenied(str(exc)) from None


@admin.register(ReplyCheck)
class ReplyCheckAdmin(admin.ModelAdmin):
    list_display = ("post", "blocked", "overridden_by", "created_at")
    list_filter = ("blocked",)
    readonly_fields = ("post", "findings", "blocked", "overridden_by", "override_reason", "template", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Read-only: approvals are decided through the composer (audited), not edited here."""

    list_display = ("pk", "conversation", "status", "requested_by", "decided_by", "created_at")
    list_filter = ("status", "brand")
    readonly_fields = [f.name for f in Approval._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
