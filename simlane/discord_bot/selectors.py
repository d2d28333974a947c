"""Reads for the bot's own per-server settings."""

from __future__ import annotations

from .models import GuildSettings


def guild_admin_role_get(*, guild_id: int) -> int | None:
    return GuildSettings.objects.filter(guild_id=guild_id).values_list("admin_role_id", flat=True).first()


def guild_followed_series(*, guild_id: int) -> list[int]:
    row = GuildSettings.objects.filter(guild_id=guild_id).values_list("followed_series", flat=True).first()
    return list(row or [])
