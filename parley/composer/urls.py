from django.urls import path

from parley.inbox import urls as inbox_urls  # noqa: F401  (registers the "dbid" converter)

from . import editor_views, handoff_views, outcome_views, praise_views, views

app_name = "composer"

urlpatterns = [
    path("templates/", editor_views.template_list, name="template_list"),
    path("templates/new", editor_views.template_edit, name="template_new"),
    path("templates/preview", editor_views.template_preview, name="template_preview"),
    path("templates/<dbid:template_id>/", editor_views.template_edit, name="template_edit"),
    path("templates/<dbid:template_id>/delete", editor_views.template_delete, name="template_delete"),
    path("c/<dbid:conversation_id>/praise/<dbid:post_id>/thank", praise_views.thank, name="thank"),
    path("c/<dbid:conversation_id>/share-outcome", praise_views.share_outcome, name="share_outcome"),
    path("outcomes/", outcome_views.outcome_list, name="outcomes"),
    path("outcomes/<dbid:share_id>/", outcome_views.outcome_detail, name="outcome"),
    path("outcomes/<dbid:share_id>/used", outcome_views.outcome_decide, {"decision": "used"}, name="outcome_used"),
    path("outcomes/<dbid:share_id>/discard", outcome_views.outcome_decide, {"decision": "discarded"},
         name="outcome_discard"),
    path("compose/approvals", views.approvals, name="approvals"),
    path("compose/approvals/<dbid:approval_id>/approve", views.decide, {"decision": "approve"}, name="approve"),
    path("compose/approvals/<dbid:approval_id>/reject", views.decide, {"decision": "reject"}, name="reject"),
    path("c/<dbid:conversation_id>/compose/", views.page, name="page"),
    path("c/<dbid:conversation_id>/compose/check", views.check, name="check"),
    path("c/<dbid:conversation_id>/compose/send", views.send, name="send"),
    path("c/<dbid:conversation_id>/compose/handoff", views.handoff, name="handoff"),
    path("c/<dbid:conversation_id>/compose/handoff/send", handoff_views.handoff, name="handoff_form"),
    path("c/<dbid:conversation_id>/compose/presence", views.presence, name="presence"),
    path("c/<dbid:conversation_id>/compose/suggestions", views.suggestions, name="suggestions"),
    path("c/<dbid:conversation_id>/compose/templates", views.templates, name="templates"),
    path("c/<dbid:conversation_id>/compose/templates/<dbid:template_id>/use", views.use_template, name="use_template"),
]
