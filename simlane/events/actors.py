"""Who is acting, from what Discord or the web says about them (reads the club and member rows)."""

from __future__ import annotations

from simlane.clubs.models import Club, ClubRole
from simlane.discord_bot.selectors import guild_admin_role_get

from .permissions import EventActor, actor_from_discord
from .selectors import member_id_of


def actor_for_discord(
    *, guild_id: int, discord_user_id: int, manage_server: bool, owner: bool, role_ids: list[int]
) -> EventActor | None:
    """The actor behind an interaction in this server (None: the server is not a SimLane club)."""
    club = Club.objects.filter(guild_id=guild_id, active=True).first()
    if club is None:
        return None
    return actor_from_discord(
        club_id=club.id,
        discord_user_id=discord_user_id,
        member_id=member_id_of(club_id=club.id, discord_user_id=discord_user_id),
        manage_server=manage_server,
        owner=owner,
        member_role_ids=role_ids,
        admin_role_id=guild_admin_role_get(guild_id=guild_id),
    )


def actor_for_web(*, club: Club, discord_user_id: int, role: str) -> EventActor:
    """The actor behind a web request, from the club's ``ClubAccess`` (which already applied ``club_role``)."""
    return EventActor(
        club_id=club.id,
        discord_user_id=discord_user_id,
        role=ClubRole(role),
        member_id=member_id_of(club_id=club.id, discord_user_id=discord_user_id),
    )
