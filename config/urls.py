from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("identity/", include("simlane.identity.urls")),
    path("", include("simlane.web.urls")),
]
