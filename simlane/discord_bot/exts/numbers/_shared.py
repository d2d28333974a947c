"""What both car-number cogs share: the server check, pool autocomplete and announcements."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.racenumbers import aio
from simlane.racenumbers.models import NumberClaim

logger = logging.getLogger(__name__)
POOL = "The number pool (car class or series), if this server has several"
STATUS_ICON = {"claimed": "⏳", "synced": "✅", "mismatch": "⚠️", "not_in_roster": "❔"}


def claim_line(c: NumberClaim, *, with_pool: bool = False) -> str:
    pool = f"[{discord_safe(c.pool)}] " if with_pool and c.pool else ""
    extra = f" (iRacing: #{c.iracing_number})" if c.status == "mismatch" else ""
    return f"{STATUS_ICON.get(c.status, '')} {pool}**#{c.number}** — <@{c.discord_user_id}>{extra}"


async def pool_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    config = await aio.number_config_get(guild_id=interaction.guild_id)
    return [app_commands.Choice(name=p, value=p) for p in config.pools if current.casefold() in p.casefold()][:25]


async def announce(client: discord.Client, guild_id: int, text: str) -> None:
    """Tell the configured announcement channel; a failure there is logged and never undoes the change."""
    config = await aio.number_config_get(guild_id=guild_id)
    if not config.announcement_channel_id:
        return
    channel = client.get_channel(config.announcement_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        await channel.send(text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        logger.warning("guild %s: announcement failed: %s", guild_id, exc)
