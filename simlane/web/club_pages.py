"""A club's read-only pages: overview, settings (forms for admins), results, car numbers, schedule.

Thin function views over the apps' selectors; every one is authorised by ``club_member_required`` (members of the
club only, 404 for anyone else), and shows forms only to the club's SimLane admins.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from simlane.cards.charts import forecast_png
from simlane.clubs import discord_settings as channel_naming
from simlane.clubs import selectors as clubs
from simlane.clubs.health.selectors import health_view
from simlane.clubs.intents.selectors import intent_list
from simlane.clubs.models import ArchiveMode, ResultsPing
from simlane.clubs.permissions import ClubAccess, club_member_required
from simlane.discord_bot import selectors as guild_settings
from simlane.discord_bot.services import MAX_FOLLOWED_SERIES
from simlane.events.notices import prefs as notice_prefs
from simlane.iracing import selectors as iracing
from simlane.racenumbers import selectors as numbers
from simlane.racenumbers.export import roster_csv
from simlane.results import selectors as results
from simlane.results.models import DEFAULT_TRACKED_PER_MEMBER, GuildResultsConfig
from simlane.results.services import MAX_TRACKED_PER_GUILD

from .forms import YES_NO


def _page(request: HttpRequest, access: ClubAccess, template: str, tab: str, **context: object) -> HttpResponse:
    return render(request, template, {"access": access, "club": access.club, "tab": tab, **context})


def _results_config(guild_id: int) -> GuildResultsConfig:
    return results.results_config_get(guild_id=guild_id) or GuildResultsConfig(guild_id=guild_id)


@require_GET
@club_member_required
def overview(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    guild_id = access.guild.id
    return _page(
        request,
        access,
        "web/club/overview.html",
        "overview",
        results_config=_results_config(guild_id),
        tracked=len(results.tracked_driver_list(guild_id=guild_id)),
        claims=numbers.active_claims(guild_id=guild_id).count(),
        followed=len(guild_settings.guild_followed_series(guild_id=guild_id)),
        members=access.club.members.count(),
        guild=access.guild,
        health=health_view(guild_id=guild_id, now=timezone.now()),
        intents=intent_list(guild_id=guild_id, limit=5),
        my_notices=notice_prefs.notice_prefs_get(club=access.club, discord_user_id=access.discord_user_id),
    )


@require_GET
@club_member_required
def settings_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    guild_id = access.guild.id
    config = numbers.number_config_get(guild_id=guild_id)
    followed = guild_settings.guild_followed_series_named(guild_id=guild_id)
    followed_ids = {series_id for series_id, _ in followed}
    discord = clubs.discord_settings_get(access.club)
    return _page(
        request,
        access,
        "web/club/settings.html",
        "settings",
        results_config=_results_config(guild_id),
        numbers=config,
        leading_zeros=dict(YES_NO)["yes" if config.leading_zeros_distinct else "no"],
        followed=followed,
        series_choices=[s for s in iracing.series_search(term="", limit=500) if s.series_id not in followed_ids],
        max_followed=MAX_FOLLOWED_SERIES,
        admin_role_id=guild_settings.guild_admin_role_get(guild_id=guild_id),
        max_tracked=MAX_TRACKED_PER_GUILD,
        default_per_member=DEFAULT_TRACKED_PER_MEMBER,
        discord=discord,
        channel_preview=channel_naming.channel_name_render(discord.channel_name_pattern),
        reminders=channel_naming.reminder_offsets_format(list(discord.reminder_offsets)),
        stint_alerts=channel_naming.reminder_offsets_format(list(discord.stint_alert_offsets)),
        ping_choices=ResultsPing.choices,
        archive_choices=ArchiveMode.choices,
        placeholders=[f"{{{p}}}" for p in channel_naming.PLACEHOLDERS],
    )


@require_GET
@club_member_required
def results_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    guild_id = access.guild.id
    return _page(
        request,
        access,
        "web/club/results.html",
        "results",
        results_config=_results_config(guild_id),
        tracked=results.tracked_driver_list(guild_id=guild_id),
        posts=results.recent_posts(guild_id=guild_id),
        failures=results.failed_posts(guild_id=guild_id),
    )


@require_GET
@club_member_required
def numbers_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    guild_id = access.guild.id
    links = numbers.links_by_user(guild_id=guild_id)
    roster = [(claim, links.get(claim.discord_user_id)) for claim in numbers.claim_list(guild_id=guild_id)]
    return _page(
        request,
        access,
        "web/club/numbers.html",
        "numbers",
        roster=roster,
        trades=numbers.pending_trades(guild_id=guild_id, now=timezone.now()),
        audit=numbers.audit_entries(guild_id=guild_id, limit=100),
    )


@require_GET
@club_member_required
def numbers_csv(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """The same file as `/export`."""
    guild_id = access.guild.id
    data = roster_csv(numbers.claim_list(guild_id=guild_id), numbers.links_by_user(guild_id=guild_id))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="car-numbers.csv"'
    return response


@require_GET
@club_member_required
def schedule_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    now = timezone.now()
    followed = guild_settings.guild_followed_series_named(guild_id=access.guild.id)
    series = [
        {"id": series_id, "name": name, "weeks": iracing.race_weeks_around(series_id=series_id, now=now)}
        for series_id, name in followed
    ]
    return _page(request, access, "web/club/schedule.html", "schedule", series=series)


@require_GET
@club_member_required
def forecast_chart(request: HttpRequest, access: ClubAccess, series_id: int) -> HttpResponse:
    """The forecast chart `/schedule` attaches, for this week of a series the club follows."""
    followed = dict(guild_settings.guild_followed_series_named(guild_id=access.guild.id))
    if series_id not in followed:
        raise Http404("The club does not follow that series")
    weeks = iracing.race_weeks_around(series_id=series_id, now=timezone.now(), weeks=1)
    forecast = getattr(weeks[0].week, "forecast", None) if weeks else None  # reverse one-to-one: may be absent
    png = (
        forecast_png(forecast.points, title=f"{followed[series_id]}: {weeks[0].week.track_name}") if forecast else None
    )
    if png is None:
        raise Http404("No forecast for this week yet")
    return HttpResponse(png, content_type="image/png")
