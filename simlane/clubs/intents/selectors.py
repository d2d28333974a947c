"""Reads of the intents queue, for the dashboard and the API."""

from __future__ import annotations

from ..models import DiscordIntent, IntentKind


def intent_list(*, guild_id: int, kind: IntentKind | None = None, limit: int = 20) -> list[DiscordIntent]:
    """The server's most recent intents, newest first."""
    rows = DiscordIntent.objects.filter(club__guild_id=guild_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("-created_at", "-id")[:limit])


def intent_get(*, guild_id: int, intent_id: int) -> DiscordIntent | None:
    """One intent of this server (None for another server's intent: ids do not leak across servers)."""
    return DiscordIntent.objects.filter(club__guild_id=guild_id, id=intent_id).first()
