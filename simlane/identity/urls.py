from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("", views.account, name="account"),
    path("iracing/", views.iracing_start, name="iracing_start"),
    path("iracing/callback/", views.iracing_callback, name="iracing_callback"),
    path("linked-roles/", views.linked_roles, name="linked_roles"),
    path("linked-roles/callback/", views.linked_roles_callback, name="linked_roles_callback"),
]
