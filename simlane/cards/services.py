"""Writes for race cards (keyword-only, atomic)."""

from __future__ import annotations

from django.db import transaction

from .models import CardTheme, GuildCardSettings


@transaction.atomic
def card_settings_set(
    *, guild_id: int, cards: bool | None = None, charts: bool | None = None, theme: str | None = None
) -> GuildCardSettings:
    """Change what was given, keep the rest."""
    row, _ = GuildCardSettings.objects.select_for_update().get_or_create(guild_id=guild_id)
    if cards is not None:
        row.cards_enabled = cards
    if charts is not None:
        row.charts_enabled = charts
    if theme is not None:
        row.theme = CardTheme(theme)
    row.save()
    return row
