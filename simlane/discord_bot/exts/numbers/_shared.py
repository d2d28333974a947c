"""What both car-number cogs share: the server check, pool autocomplete and announcements."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from simlane.core.errors import ApplicationError
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.racenumbers import aio
from simlane.racenumbers.models import NumberClaim, NumberConfig
from simlane.racenumbers.reconfigure import in_range

logger = logging.getLogger(__name__)
POOL = "The number pool (car class or series), if this server has several"
STATUS_ICON = {"claimed": "⏳", "synced": "✅", "mismatch": "⚠️", "not_in_roster": "❔"}


def claim_line(c: NumberClaim, *, with_pool: bool = False, config: NumberConfig | None = None) -> str:
    pool = f"[{discord_safe(c.pool)}] " if with_pool and c.pool else ""
    extra = f" (iRacing: #{c.iracing_number})" if c.status == "mismatch" else ""
    if c.member_left_at is not None:
        extra += " 🚪 left the server"
    if config is not None and not in_range(c.number, config):
        extra += f" 🚩 outside {config.min_number}–{config.max_number}"
    return f"{STATUS_ICON.get(c.status, '')} {pool}**#{c.number}** — <@{c.discord_user_id}>{extra}"


async def pool_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    config = await aio.number_config_get(guild_id=interaction.guild_id)
    return [app_commands.Choice(name=p, value=p) for p in config.pools if current.casefold() in p.casefold()][:25]


class AnnouncementChannelError(ApplicationError):
    """The bot can't post in the chosen announcement channel; nothing was saved."""


def announcement_channel_check(channel: discord.TextChannel) -> None:
    """Refuse a channel the bot can't post in, naming the missing permissions."""
    perms = channel.permissions_for(channel.guild.me)
    missing = [n for n, ok in (("View Channel", perms.view_channel), ("Send Messages", perms.send_messages)) if not ok]
    if missing:
        raise AnnouncementChannelError(
            f"I can't post in {channel.mention}: I need {', '.join(missing)} there. Nothing was changed."
        )


async def reply_after_write(interaction: discord.Interaction, text: str) -> bool:
    """Tell the member about a change that is already saved. If Discord fails the reply, try a follow-up, and never
    raise: an error here would tell the member "something went wrong, try again" about a change that stands (the
    announcement still says it). Returns whether the member got a reply."""
    try:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return True
    except discord.HTTPException as exc:
        logger.warning("guild %s: reply after a saved change failed: %s", interaction.guild_id, exc)
    try:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return True
    except discord.HTTPException as exc:
        logger.warning("guild %s: follow-up after a saved change failed too: %s", interaction.guild_id, exc)
        return False


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
