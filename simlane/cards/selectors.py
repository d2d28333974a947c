"""Reads for race cards."""

from __future__ import annotations

from dataclasses import dataclass, field

from simlane.results.models import TrackedDriver

from .models import CardTheme, GuildCardSettings


@dataclass(frozen=True)
class CardChoices:
    cards: bool = True
    charts: bool = True
    theme: str = CardTheme.DARK
    tracked: frozenset[int] = field(default_factory=frozenset)  # the server's tracked drivers


def card_choices(*, guild_id: int) -> CardChoices:
    """The server's card settings (defaults when it never changed them) and the drivers it tracks."""
    row = GuildCardSettings.objects.filter(guild_id=guild_id).first()
    tracked = frozenset(TrackedDriver.objects.filter(guild_id=guild_id).values_list("cust_id", flat=True))
    if row is None:
        return CardChoices(tracked=tracked)
    return CardChoices(row.cards_enabled, row.charts_enabled, row.theme, tracked)
