"""Reads for the bot's own per-server settings."""

from __future__ import annotations

from simlane.iracing.models import Series

from .models import GuildSettings


def guild_admin_role_get(*, guild_id: int) -> int | None:
    return GuildSettings.objects.filter(guild_id=guild_id).values_list("admin_role_id", flat=True).first()


def guild_followed_series(*, guild_id: int) -> list[int]:
    row = GuildSettings.objects.filter(guild_id=guild_id).values_list("followed_series", flat=True).first()
    return list(row or [])


def guild_followed_series_named(*, guild_id: int) -> list[tuple[int, str]]:
    """(series id, name) of every series the server's race guide follows, by name (unknown ids by number)."""
    ids = guild_followed_series(guild_id=guild_id)
    names = dict(Series.objects.filter(series_id__in=ids).values_list("series_id", "name"))
    return sorted(((i, names.get(i, f"Series {i}")) for i in ids), key=lambda row: row[1].casefold())
