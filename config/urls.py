from django.contrib import admin
from django.urls import include, path

from simlane.web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("identity/", include("simlane.identity.urls")),
    path("api/", api.urls),
    path("", include("simlane.ops.urls")),  # /healthz, /readyz, /metrics
    path("", include("simlane.web.urls")),
]
