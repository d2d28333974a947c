"""Who may see and change what on the web: every dashboard view asks here, on the server, on every request.

Adding SimLane to a server is for the members Discord says may manage it: the owner, Administrator or Manage
Server, read from the user's own ``/users/@me/guilds``.

A linked club's pages follow the bot's rule (``clubs.roles.club_role``), so the web and the slash commands never
disagree:

- *admin* (changes settings): Manage Server per the user's own server list, or the server's SimLane admin role
  among the Discord roles the member sync recorded on their ``ClubMember`` row;
- *member* (read-only pages): a ``ClubMember`` row for their Discord id;
- the SimLane admin role itself: Manage Server only, as ``/results adminrole``.

The user must also still be on the server by Discord's own list, whatever our rows say (someone who left sees
nothing even before the member sync notices). Anonymous users are sent to log in; anyone else gets a 404 for a
club they are not in, so the page does not even confirm the club exists; a member who tries an admin action gets a
403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from simlane.discord_bot.selectors import guild_admin_role_get

from . import selectors, services
from .discord_oauth import DiscordOAuthError, DiscordTokenExpired, UserGuild
from .discord_permissions import can_manage_guild
from .models import Club, ClubRole
from .roles import club_role, is_admin_role


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


@dataclass(frozen=True)
class ClubAccess:
    """Who the logged-in user is in one club, decided once per request."""

    club: Club
    guild: UserGuild
    discord_user_id: int
    role: ClubRole

    @property
    def is_admin(self) -> bool:
        return is_admin_role(self.role)

    @property
    def manages_server(self) -> bool:
        """Manage Server (or owner, or Administrator) on Discord: the only right that changes the admin role."""
        return can_manage_guild(self.guild.permissions, owner=self.guild.owner)


def club_access(request: HttpRequest, guild_id: int) -> ClubAccess:
    """The user's role in the club of server ``guild_id``; 404 if there is no such club or they are not in it."""
    user = request.user
    guild = next((g for g in services.user_guilds(user=user) if g.id == guild_id), None)  # type: ignore[arg-type]
    club = selectors.club_for_guild(guild_id) if guild is not None else None
    if guild is None or club is None:
        raise Http404("No such club among yours")
    manages = can_manage_guild(guild.permissions, owner=guild.owner)
    discord_user_id = selectors.discord_user_id_of(user_id=int(user.pk or 0))
    row = selectors.club_member(club=club, discord_user_id=discord_user_id) if discord_user_id else None
    if row is None and not manages:
        raise Http404("No such club among yours")
    role = club_role(
        manage_server=manages,
        owner=guild.owner,
        member_role_ids=[int(r) for r in row.role_ids] if row else [],
        admin_role_id=guild_admin_role_get(guild_id=guild_id),
    )
    return ClubAccess(club=club, guild=guild, discord_user_id=discord_user_id or 0, role=role)


def _club_view(view: Callable[..., HttpResponse], check: Callable[[ClubAccess], None]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, guild_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            access = club_access(request, guild_id)
        except DiscordTokenExpired:
            return redirect_to_login(request.get_full_path())
        except DiscordOAuthError as exc:
            return render(request, "web/error.html", {"error": exc.message}, status=502)
        check(access)
        return view(request, access, *args, **kwargs)

    return wrapper


def _any_member(_access: ClubAccess) -> None:
    return None


def _admin(access: ClubAccess) -> None:
    if not access.is_admin:
        raise PermissionDenied("Only this club's SimLane admins can change its settings.")


def _server_manager(access: ClubAccess) -> None:
    if not access.manages_server:
        raise PermissionDenied("Only members with Manage Server can change who administers SimLane.")


def club_member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only club pages: any member of the club (given the ``ClubAccess``)."""
    return _club_view(view, _any_member)


def club_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Club changes: SimLane admins of the club (Manage Server or the admin role); 403 for other members."""
    return _club_view(view, _admin)


def club_manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Changing who administers SimLane: Manage Server only, as the bot's ``/results adminrole``."""
    return _club_view(view, _server_manager)
