"""A club's settings changes: thin POST views over the same services the slash commands use.

Each view is authorised by ``club_admin_required`` (the admin role: ``club_manager_required``), type-checks the form,
calls the app's service (where the rules are) and comes back to the settings page with what happened. A refused
change says why and changes nothing. Car-number changes that would release or flag held claims show the list and
apply only when the admin confirms exactly that list, as `/setup` does; every change is audited with the admin's
Discord id.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from simlane.clubs import services as clubs_services
from simlane.clubs.models import ArchiveMode, ResultsPing
from simlane.clubs.permissions import ClubAccess, club_admin_required, club_manager_required
from simlane.core.errors import ApplicationError
from simlane.discord_bot import services as guild_settings
from simlane.iracing import selectors as iracing
from simlane.racenumbers import selectors as numbers
from simlane.racenumbers import services as numbers_services
from simlane.racenumbers.numbers import pool_names_parse
from simlane.racenumbers.reconfigure import ClaimEffect
from simlane.results import services as results
from simlane.results.models import ResultsMode

from .forms import AdminRoleForm, DiscordSettingsForm, FollowForm, NumbersForm, ResultsForm, TrackingLimitForm

CONFIRM_SALT = "simlane.web.numbers-confirm"
CONFIRM_MAX_AGE = 600  # seconds, as long as /setup's confirmation buttons stay live


def _back(access: ClubAccess, anchor: str) -> HttpResponse:
    return redirect(reverse("web:club_settings", args=[access.guild.id]) + f"#{anchor}")


def _refused(
    request: HttpRequest, access: ClubAccess, anchor: str, form: forms.Form | None, text: str = ""
) -> HttpResponse:
    if form is not None:
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, text if "Nothing was changed" in text else f"{text} Nothing was changed.")
    return _back(access, anchor)


@require_POST
@club_admin_required
def results_settings(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = ResultsForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "results", form)
    guild_id, data = access.guild.id, form.cleaned_data
    if data["channel_id"]:
        results.results_channel_set(guild_id=guild_id, channel_id=int(data["channel_id"]))
    results.results_mode_set(
        guild_id=guild_id,
        mode=ResultsMode(data["mode"]),
        include_hosted=data["include_hosted"],
        include_league=data["include_league"],
    )
    messages.success(request, "Results settings saved.")
    return _back(access, "results")


@require_POST
@club_admin_required
def tracking_limit(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = TrackingLimitForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "results", form)
    config = results.tracked_per_member_set(guild_id=access.guild.id, limit=form.cleaned_data["per_member"])
    messages.success(request, f"Each member may now track up to {config.max_tracked_per_member} drivers.")
    return _back(access, "results")


def _numbers_changes(access: ClubAccess, data: dict[str, Any]) -> dict[str, Any]:
    """What the admin changed (fields left as they were are not sent, so the audit lists only real changes)."""
    config = numbers.number_config_get(guild_id=access.guild.id)
    wanted = {
        "league_id": data["league_id"],
        "min_number": data["min_number"],
        "max_number": data["max_number"],
        "leading_zeros_distinct": data["leading_zeros_distinct"] == "yes",
        "pools": pool_names_parse(data["pools"]),
        "sync_pools": pool_names_parse(data["sync_pools"]),
        "on_leave": data["on_leave"],
        "auto_sync_minutes": data["auto_sync_minutes"],
    }
    return {k: v for k, v in wanted.items() if v is not None and v != getattr(config, k)}


@require_POST
@club_admin_required
def numbers_settings(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = NumbersForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "numbers", form)
    confirmed: list[ClaimEffect] | None = None
    try:
        changes = _numbers_changes(access, form.cleaned_data)
        if token := request.POST.get("confirm", ""):
            confirmed = [ClaimEffect(**e) for e in signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)]
        if not changes:
            messages.info(request, "Nothing to change.")
            return _back(access, "numbers")
        numbers_services.number_config_update(
            guild_id=access.guild.id, actor_id=access.discord_user_id, confirmed=confirmed, **changes
        )
    except numbers_services.ConfigConflict as conflict:
        return render(
            request,
            "web/club/numbers_confirm.html",
            {
                "access": access,
                "club": access.club,
                "tab": "settings",
                "effects": conflict.effects,
                "changed_since": confirmed is not None,
                "post": form.cleaned_data,
                "confirm": signing.dumps([asdict(e) for e in conflict.effects], salt=CONFIRM_SALT),
            },
        )
    except signing.BadSignature:
        return _refused(request, access, "numbers", None, "That confirmation is too old or not valid; save again.")
    except ApplicationError as exc:
        return _refused(request, access, "numbers", None, exc.message)
    messages.success(request, "Car-number settings saved.")
    return _back(access, "numbers")


@require_POST
@club_admin_required
def follow_add(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "raceguide", form)
    series = iracing.series_get(series_id=form.cleaned_data["series_id"])
    if series is None:
        return _refused(request, access, "raceguide", None, "SimLane does not know that series.")
    try:
        _followed, added = guild_settings.guild_series_follow(guild_id=access.guild.id, series_id=series.series_id)
    except ApplicationError as exc:
        return _refused(request, access, "raceguide", None, exc.message)
    messages.success(request, f"The race guide {'now follows' if added else 'already follows'} {series.name}.")
    return _back(access, "raceguide")


@require_POST
@club_admin_required
def follow_remove(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "raceguide", form)
    try:
        guild_settings.guild_series_unfollow(guild_id=access.guild.id, series_id=form.cleaned_data["series_id"])
    except ApplicationError as exc:
        return _refused(request, access, "raceguide", None, exc.message)
    messages.success(request, "Series removed from the race guide.")
    return _back(access, "raceguide")


@require_POST
@club_manager_required
def admin_role(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """Choose the SimLane admin role by id (Manage Server only, as `/results adminrole`)."""
    form = AdminRoleForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "adminrole", form)
    role_id = int(form.cleaned_data["role_id"]) if form.cleaned_data["role_id"] else None
    # A server's @everyone role has the server's own id: every member would be an admin.
    if role_id == access.guild.id:
        text = "@everyone can't be the SimLane admin role: every member would be an admin."
        return _refused(request, access, "adminrole", None, text)
    guild_settings.guild_admin_role_set(guild_id=access.guild.id, role_id=role_id)
    messages.success(request, "Admin role saved." if role_id else "Only Manage Server now.")
    return _back(access, "adminrole")


@require_POST
@club_admin_required
def discord_settings(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """Event channels, results mentions and reminders: all saved or none; who changed them is kept."""
    form = DiscordSettingsForm(request.POST)
    if not form.is_valid():
        return _refused(request, access, "discord", form)
    data = form.cleaned_data
    try:
        saved = clubs_services.discord_settings_update(
            club=access.club,
            actor_id=access.discord_user_id,
            auto_create_channels=data["auto_create_channels"],
            channel_name_pattern=data["channel_name_pattern"],
            results_ping=ResultsPing(data["results_ping"]),
            results_ping_role_id=int(data["results_ping_role_id"]) if data["results_ping_role_id"] else None,
            reminder_offsets=data["reminder_offsets"],
            archive_mode=ArchiveMode(data["archive_mode"]) if data["archive_mode"] else None,
            archive_delay_hours=data["archive_delay_hours"],
            race_voice_hours=data["race_voice_hours"],
            team_roles={"yes": True, "no": False}.get(data["team_roles"]),
        )
    except ApplicationError as exc:
        return _refused(request, access, "discord", None, exc.message)
    messages.success(request, f"Discord settings saved: event channels are named like {saved.channel_name_pattern}.")
    return _back(access, "discord")
