"""Per-server choices for the pictures SimLane posts."""

from __future__ import annotations

from django.db import models

from simlane.core.models import TimeStampedModel


class CardTheme(models.TextChoices):
    DARK = "dark", "Dark"
    LIGHT = "light", "Light"


class GuildCardSettings(TimeStampedModel):
    """A server's race-card settings; a server without a row gets the defaults (cards with charts, dark)."""

    guild_id = models.BigIntegerField(unique=True)
    cards_enabled = models.BooleanField(default=True, help_text="attach a race card to each result post")
    charts_enabled = models.BooleanField(
        default=True, help_text="draw position and lap-time charts on the card (one lap fetch per race)"
    )
    theme = models.CharField(max_length=8, choices=CardTheme.choices, default=CardTheme.DARK)

    def __str__(self) -> str:
        return f"cards of guild {self.guild_id}"
