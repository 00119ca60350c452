from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path

from parley.inbox import views as inbox_views
from parley.sla import csat_views


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("b/<slug:brand>/rules/", include("parley.routing.urls")),
    path("b/<slug:brand>/follow-ups/", include("parley.sla.urls")),
    path("b/<slug:brand>/", include("parley.sla.urls_brand")),
    path("csat/<str:token>/", csat_views.survey, name="csat"),
    path("b/<slug:brand>/", include("parley.inbox.urls")),
    path("b/<slug:brand>/", include("parley.composer.urls")),
    path("b/<slug:brand>/", include("parley.customers.urls")),
    path("api/", include("parley.api.urls")),
    path("hooks/", include("parley.platforms.urls_hooks")),
    path("b/<slug:brand>/channels/", include("parley.platforms.urls")),
    path("admin/", admin.site.urls),
]
