from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import customer_views, triage_views, views

conversation = "v1/brands/<slug:brand>/conversations/<int:pk>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-docs",
    ),
    path("docs/swagger/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-swagger"),
    path("v1/brands/", views.BrandListView.as_view(), name="api-brands"),
    path("v1/brands/<slug:brand>/conversations/", views.ConversationListView.as_view(), name="api-list"),
    path(conversation, views.ConversationDetailView.as_view(), name="api-conversation"),
    path(conversation + "assign/", views.AssignView.as_view(), name="api-assign"),
    path(conversation + "status/", views.StatusView.as_view(), name="api-status"),
    path(conversation + "notes/", views.NoteView.as_view(), name="api-notes"),
    path(conversation + "tags/", views.TagsView.as_view(), name="api-tags"),
    path(conversation + "replies/", views.ReplyView.as_view(), name="api-replies"),
    path(
        "v1/brands/<slug:brand>/customers/<int:pk>/", views.CustomerDetailView.as_view(), name="api-customer"
    ),
    path("v1/brands/<slug:brand>/customers/<int:pk>/export/", customer_views.CustomerExportView.as_view(),
         name="api-customer-export"),
    path("v1/brands/<slug:brand>/customers/<int:pk>/erase/", customer_views.CustomerEraseView.as_view(),
         name="api-customer-erase"),
    path("v1/brands/<slug:brand>/posts/", views.IngestView.as_view(), name="api-ingest"),
    path("v1/brands/<slug:brand>/posts/<int:pk>/triage/", triage_views.PostTriageView.as_view(), name="api-triage"),
    path(
        "v1/brands/<slug:brand>/posts/<int:pk>/triage/corrections/",
        triage_views.TriageCorrectionView.as_view(), name="api-triage-correct",
    ),
    # Anything else under /api/v1/ answers a JSON 404 rather than an HTML page.
    re_path(r"^v1/", views.not_found),
]
