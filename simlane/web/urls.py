from django.urls import path

from . import club_pages, club_settings, events_pages, health_views, members_pages, notice_prefs, views

app_name = "web"
CLUB = "dashboard/clubs/<int:guild_id>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/servers/<int:guild_id>/", views.server, name="server"),
    path("dashboard/servers/<int:guild_id>/add/", views.server_add, name="server_add"),
    path("dashboard/servers/<int:guild_id>/health/", health_views.health, name="health"),
    path("dashboard/discord/bot-added/", views.bot_callback, name="bot_callback"),
    # A linked club's pages: members read them, admins change settings.
    path(CLUB, club_pages.overview, name="club"),
    path(f"{CLUB}settings/", club_pages.settings_page, name="club_settings"),
    path(f"{CLUB}results/", club_pages.results_page, name="club_results"),
    path(f"{CLUB}numbers/", club_pages.numbers_page, name="club_numbers"),
    path(f"{CLUB}numbers/car-numbers.csv", club_pages.numbers_csv, name="club_numbers_csv"),
    path(f"{CLUB}schedule/", club_pages.schedule_page, name="club_schedule"),
    path(f"{CLUB}schedule/<int:series_id>/forecast.png", club_pages.forecast_chart, name="club_forecast"),
    path(f"{CLUB}members/", members_pages.members_page, name="club_members"),
    path(f"{CLUB}members/sync/", members_pages.members_sync, name="club_members_sync"),
    path(f"{CLUB}members/confirm/", members_pages.proposal_confirm_view, name="club_proposal_confirm"),
    path(f"{CLUB}members/reject/", members_pages.proposal_reject_view, name="club_proposal_reject"),
    path(f"{CLUB}settings/results/", club_settings.results_settings, name="club_set_results"),
    path(f"{CLUB}settings/tracking-limit/", club_settings.tracking_limit, name="club_set_limit"),
    path(f"{CLUB}settings/numbers/", club_settings.numbers_settings, name="club_set_numbers"),
    path(f"{CLUB}settings/raceguide/follow/", club_settings.follow_add, name="club_follow"),
    path(f"{CLUB}settings/raceguide/unfollow/", club_settings.follow_remove, name="club_unfollow"),
    path(f"{CLUB}settings/discord/", club_settings.discord_settings, name="club_set_discord"),
    path(f"{CLUB}settings/admin-role/", club_settings.admin_role, name="club_set_admin_role"),
    path(f"{CLUB}settings/event-notices/", notice_prefs.club_notices, name="club_set_notices"),
    path(f"{CLUB}my-notices/", notice_prefs.my_notices, name="club_my_notices"),
    path(f"{CLUB}events/", events_pages.events_page, name="club_events"),
    path(f"{CLUB}events/create/", events_pages.event_create_view, name="club_event_create"),
    path(f"{CLUB}events/calendar/rotate/", events_pages.calendar_rotate_view, name="club_calendar_rotate"),
    path(f"{CLUB}events/<int:event_id>/", events_pages.event_page, name="club_event"),
    path(f"{CLUB}events/<int:event_id>/signup/", events_pages.event_signup, name="club_event_signup"),
    path(f"{CLUB}events/<int:event_id>/withdraw/", events_pages.event_withdraw, name="club_event_withdraw"),
    path(f"{CLUB}events/<int:event_id>/manage/", events_pages.event_manage, name="club_event_manage"),
    path(f"{CLUB}events/<int:event_id>/teams/", events_pages.teams_page, name="club_event_teams"),
    path(f"{CLUB}events/<int:event_id>/teams/save/", events_pages.teams_save_view, name="club_event_teams_save"),
    path(
        f"{CLUB}events/<int:event_id>/teams/<int:team_id>/stints/",
        events_pages.stints_save_view,
        name="club_event_stints",
    ),
    # Calendar apps cannot log in: the unguessable token is the only key.
    path("calendar/<str:token>.ics", events_pages.calendar_feed, name="calendar"),
]
