from django.urls import path

from . import health_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/servers/<int:guild_id>/", views.server, name="server"),
    path("dashboard/servers/<int:guild_id>/add/", views.server_add, name="server_add"),
    path("dashboard/servers/<int:guild_id>/health/", health_views.health, name="health"),
    path("dashboard/discord/bot-added/", views.bot_callback, name="bot_callback"),
]
