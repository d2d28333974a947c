"""Members leaving the server: their claims are released, kept or flagged, as the server chose in `/setup`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from simlane.racenumbers import aio

from ._shared import announce

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)


class NumbersMembersCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """The raw event: it arrives even when the member was never cached."""
        rule, claims = await aio.member_left(guild_id=payload.guild_id, user_id=payload.user.id)
        if not claims:
            return
        numbers = ", ".join(f"#{c.number}" + (f" ({c.pool})" if c.pool else "") for c in claims)
        logger.info("guild %s: member %s left holding %s (%s)", payload.guild_id, payload.user.id, numbers, rule)
        if rule == "release":
            text = f"<@{payload.user.id}> left the server; {numbers} is free again."
        elif rule == "flag":
            text = f"<@{payload.user.id}> left the server holding {numbers}: flagged for an admin (`/forcerelease`)."
        else:
            return  # the server keeps numbers of members who leave: nothing to announce
        await announce(self.bot, payload.guild_id, text)
