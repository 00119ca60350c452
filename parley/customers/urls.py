from django.urls import path

from parley.inbox.urls import IdConverter  # noqa: F401 - registers the "dbid" converter

from . import audit_views, views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/<dbid:customer_id>/", views.profile, name="profile"),
    path("customers/<dbid:customer_id>/notes/", views.add_note, name="note"),
    path("customers/<dbid:customer_id>/vip/", views.vip, name="vip"),
    path("customers/<dbid:customer_id>/merge/<dbid:other_id>/", views.merge, name="merge"),
    path("customers/<dbid:customer_id>/identities/<dbid:identity_id>/unmerge/", views.unmerge, name="unmerge"),
    path("customers/<dbid:customer_id>/export/", views.export_data, name="export"),
    path("customers/<dbid:customer_id>/erase/", views.erase, name="erase"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/export.csv", audit_views.audit_csv, name="audit_csv"),
]
