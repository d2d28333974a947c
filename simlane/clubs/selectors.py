"""Reads of the clubs domain."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Club, ClubMember, DiscordCredential


def clubs_by_guild(guild_ids: Iterable[int]) -> dict[int, Club]:
    """The clubs of these servers, active or not, by server id."""
    return {club.guild_id: club for club in Club.objects.filter(guild_id__in=list(guild_ids))}


def club_for_guild(guild_id: int) -> Club | None:
    return Club.objects.filter(guild_id=guild_id).first()


def discord_user_id_of(*, user_id: int) -> int | None:
    """The Discord account a site user logged in with."""
    return DiscordCredential.objects.filter(user_id=user_id).values_list("discord_user_id", flat=True).first()


def club_member(*, club: Club, discord_user_id: int) -> ClubMember | None:
    """The club's row for this Discord user, kept current by the bot's member sync."""
    return ClubMember.objects.filter(club=club, discord_user_id=discord_user_id).first()


def clubs_of_member(*, user_id: int) -> list[Club]:
    """Active clubs where the site user's Discord account has a member row, by name."""
    discord_user_id = discord_user_id_of(user_id=user_id)
    if discord_user_id is None:
        return []
    return list(Club.objects.filter(active=True, members__discord_user_id=discord_user_id).order_by("name"))
