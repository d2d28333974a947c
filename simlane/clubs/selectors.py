"""Reads of the clubs domain."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Club


def clubs_by_guild(guild_ids: Iterable[int]) -> dict[int, Club]:
    """The clubs of these servers, active or not, by server id."""
    return {club.guild_id: club for club in Club.objects.filter(guild_id__in=list(guild_ids))}


def club_for_guild(guild_id: int) -> Club | None:
    return Club.objects.filter(guild_id=guild_id).first()
