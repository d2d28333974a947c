"""Who may see and change what on the web: every dashboard view asks here, on the server, on every request.

A server (and its club) is managed by the members Discord says may manage it: the owner, Administrator or Manage
Server, read from the user's own ``/users/@me/guilds``. Anonymous users are sent to log in; anyone else gets a 404
for a server they cannot manage, so the page does not even confirm the server exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from . import services
from .discord_oauth import UserGuild
from .discord_permissions import can_manage_guild


def manageable_guilds(guilds: list[UserGuild]) -> list[UserGuild]:
    """The servers among ``guilds`` the user may configure, by name."""
    return sorted(
        (g for g in guilds if can_manage_guild(g.permissions, owner=g.owner)), key=lambda g: g.name.casefold()
    )


def managed_guild(request: HttpRequest, guild_id: int, *, fresh: bool = False) -> UserGuild:
    """The server ``guild_id`` if the logged-in user may manage it now; 404 otherwise."""
    for guild in manageable_guilds(services.user_guilds(user=request.user, fresh=fresh)):  # type: ignore[arg-type]
        if guild.id == guild_id:
            return guild
    raise Http404("No such server among yours")


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous users to the login page, coming back here afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def guild_manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then only someone who may manage the server ``guild_id`` gets the view (given the server)."""

    @wraps(view)
    def wrapper(request: HttpRequest, guild_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, managed_guild(request, guild_id), *args, **kwargs)

    return wrapper
