"""What the card's buttons, its modal and the `/event` commands share: who is acting, and private answers."""

from __future__ import annotations

import logging

import discord

from simlane.discord_bot.escaping import NO_MENTIONS
from simlane.events import aio
from simlane.events.permissions import EventActor, EventNotFound

logger = logging.getLogger(__name__)


async def actor_of(interaction: discord.Interaction) -> EventActor:
    """The member behind the interaction, by the events' permission rule; a clear error outside a club."""
    if interaction.guild_id is None:
        raise EventNotFound("Use this in a server, not in a direct message.")
    user = interaction.user
    is_member = isinstance(user, discord.Member)
    actor = await aio.actor_for_discord(
        guild_id=interaction.guild_id,
        discord_user_id=user.id,
        manage_server=bool(interaction.permissions.manage_guild),
        owner=is_member and interaction.guild is not None and interaction.guild.owner_id == user.id,
        role_ids=[r.id for r in user.roles] if isinstance(user, discord.Member) else [],
    )
    if actor is None:
        raise EventNotFound("This server does not run events with SimLane.")
    return actor


async def private(interaction: discord.Interaction, message: str) -> None:
    """Answer only the member who clicked or typed, whatever state the interaction is in."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message[:2000], ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message[:2000], ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        logger.warning("a private answer about an event failed: %s", exc)
