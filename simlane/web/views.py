"""The dashboard's pages: thin views over the clubs services, each authorised through ``simlane.clubs.permissions``."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from simlane.clubs import selectors, services
from simlane.clubs.discord_oauth import DiscordOAuthError, UserGuild, exchange_code
from simlane.clubs.discord_permissions import FEATURES, invite_permissions
from simlane.clubs.permissions import guild_manager_required, login_required, manageable_guilds, managed_guild

from . import bot_invite
from .adapters import is_local_path

log = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    next_url = request.GET.get("next", "")
    return render(request, "web/home.html", {"next": next_url if is_local_path(next_url) else ""})


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Your servers: every server you may manage, with SimLane's state there."""
    error = ""
    guilds: list[UserGuild] = []
    try:
        guilds = manageable_guilds(services.user_guilds(user=request.user, fresh="fresh" in request.GET))  # type: ignore[arg-type]
    except DiscordOAuthError as exc:
        error = exc.message
    clubs = selectors.clubs_by_guild(g.id for g in guilds)
    rows = [{"guild": g, "club": clubs.get(g.id)} for g in guilds]
    if getattr(request, "htmx", False):
        return render(request, "web/_servers.html", {"rows": rows, "error": error})
    managed = {g.id for g in guilds}
    member_clubs = [
        c for c in selectors.clubs_of_member(user_id=int(request.user.pk or 0)) if c.guild_id not in managed
    ]
    return render(request, "web/dashboard.html", {"rows": rows, "error": error, "member_clubs": member_clubs})


@require_GET
@guild_manager_required
def server(request: HttpRequest, guild: UserGuild) -> HttpResponse:
    club = selectors.club_for_guild(guild.id)
    return render(request, "web/server.html", {"guild": guild, "club": club, "features": FEATURES})


@require_POST
@guild_manager_required
def server_add(request: HttpRequest, guild: UserGuild) -> HttpResponse:
    """Send the admin to Discord to add the bot to this server, with a state bound to this session."""
    state = bot_invite.state_issue(request.session, guild.id)
    redirect_uri = request.build_absolute_uri(reverse("web:bot_callback"))
    return redirect(bot_invite.bot_authorize_url(guild_id=guild.id, state=state, redirect_uri=redirect_uri))


@require_GET
@login_required
def bot_callback(request: HttpRequest) -> HttpResponse:
    """Discord sends the admin back here after adding the bot: check the state, then link the server."""
    try:
        guild_id = bot_invite.state_consume(request.session, request.GET.get("state", ""))
    except bot_invite.BotAddRefused as exc:
        messages.error(request, exc.message)
        return redirect("web:dashboard")
    if request.GET.get("error"):
        messages.info(request, "SimLane was not added: the authorization was cancelled on Discord.")
        return redirect("web:dashboard")
    guild = managed_guild(request, guild_id, fresh=True)
    try:
        grant = exchange_code(request.GET.get("code", ""), request.build_absolute_uri(reverse("web:bot_callback")))
    except DiscordOAuthError as exc:
        messages.error(request, exc.message)
        return redirect("web:dashboard")
    # The guild_id in the redirect is only a hint; the token response says where the bot really went.
    if grant.guild_id != guild.id:
        messages.error(request, "Discord added SimLane to a different server than the one you chose; nothing linked.")
        return redirect("web:dashboard")
    services.club_link(
        guild_id=guild.id,
        name=grant.guild_name or guild.name,
        permissions=int(request.GET.get("permissions", "0") or 0) or invite_permissions(),
        user=request.user,  # type: ignore[arg-type]
        owner=guild.owner,
    )
    services.user_guilds_forget(user_id=request.user.pk)
    messages.success(request, f"SimLane is now on {guild.name}.")
    return redirect("web:dashboard")
