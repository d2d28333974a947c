"""Per-server settings shared by every feature of the bot."""

from __future__ import annotations

from django.db import models

from simlane.core.models import TimeStampedModel


class GuildSettings(TimeStampedModel):
    guild_id = models.BigIntegerField(unique=True, help_text="Discord server snowflake")
    admin_role_id = models.BigIntegerField(
        null=True, blank=True, help_text="members with this role may configure SimLane without Manage Server"
    )
    followed_series = models.JSONField(default=list, blank=True, help_text="series ids /raceguide shows")

    def __str__(self) -> str:
        return f"settings of guild {self.guild_id}"
