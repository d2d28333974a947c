"""Writes for the bot's own per-server settings."""

from __future__ import annotations

from .models import GuildSettings


def guild_admin_role_set(*, guild_id: int, role_id: int | None) -> GuildSettings:
    settings, _ = GuildSettings.objects.update_or_create(guild_id=guild_id, defaults={"admin_role_id": role_id})
    return settings


def guild_followed_series_set(*, guild_id: int, series_ids: list[int]) -> GuildSettings:
    settings, _ = GuildSettings.objects.update_or_create(guild_id=guild_id, defaults={"followed_series": series_ids})
    return settings
