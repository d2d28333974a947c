"""Writes each server's health snapshot: on join and availability, after channel/role/permission changes
(debounced: a burst of edits is one snapshot) and periodically, with a heartbeat in between."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from simlane.clubs.health import aio
from simlane.racenumbers import aio as numbers_aio
from simlane.results import aio as results_aio

from ._snapshot import compute_snapshot

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60.0
FULL_REFRESH_EVERY = 15  # heartbeats between full snapshots of every server


class HealthCog(commands.Cog):
    debounce_seconds: float = 5.0

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._heartbeat: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.loops:
            self._heartbeat = asyncio.create_task(self._beat_forever())

    async def cog_unload(self) -> None:
        for task in [self._heartbeat, *self._pending.values()]:
            if task is not None:
                task.cancel()

    async def refresh_guild(self, guild: discord.Guild) -> None:
        """Compute and store the snapshot of one server now."""
        results = await results_aio.results_config_get(guild_id=guild.id)
        numbers = await numbers_aio.number_config_get(guild_id=guild.id)
        channel_ids = {
            "results": results.channel_id if results else None,
            "announcements": numbers.announcement_channel_id,
        }
        await aio.health_record(snapshot=compute_snapshot(guild, channel_ids=channel_ids), now=self.bot.now())

    def schedule(self, guild: discord.Guild) -> None:
        """Refresh this server's snapshot once the current burst of changes is over."""
        if not self.bot.loops or guild.id in self._pending:
            return
        self._pending[guild.id] = asyncio.create_task(self._debounced(guild.id))

    async def _debounced(self, guild_id: int) -> None:
        try:
            await asyncio.sleep(self.debounce_seconds)
        finally:
            self._pending.pop(guild_id, None)
        guild = self.bot.get_guild(guild_id)
        if guild is not None:
            await self.refresh_guild(guild)

    async def _beat_forever(self) -> None:
        await self.bot.wait_until_ready()
        beats = 0
        while not self.bot.is_closed():
            try:
                if beats % FULL_REFRESH_EVERY == 0:
                    for guild in list(self.bot.guilds):
                        await self.refresh_guild(guild)
                else:
                    await aio.health_heartbeat(guild_ids=[g.id for g in self.bot.guilds], now=self.bot.now())
            except Exception:  # a database hiccup must not end the heartbeat for good; the next beat tries again
                logger.exception("bot health heartbeat failed")
            beats += 1
            await asyncio.sleep(HEARTBEAT_SECONDS)

    # -- events ------------------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.schedule(guild)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.schedule(guild)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        if self.bot.loops:
            await aio.health_mark_disconnected(guild_id=guild.id, now=self.bot.now())

    @commands.Cog.listener()
    async def on_guild_unavailable(self, guild: discord.Guild) -> None:
        await self.on_guild_remove(guild)

    @commands.Cog.listener()
    async def on_guild_update(self, _before: discord.Guild, after: discord.Guild) -> None:
        self.schedule(after)

    @commands.Cog.listener()
    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        self.schedule(channel.guild)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        self.schedule(channel.guild)

    @commands.Cog.listener()
    async def on_guild_channel_update(self, _before: Any, after: discord.abc.GuildChannel) -> None:
        self.schedule(after.guild)

    @commands.Cog.listener()
    async def on_guild_role_create(self, role: discord.Role) -> None:
        self.schedule(role.guild)

    @commands.Cog.listener()
    async def on_guild_role_delete(self, role: discord.Role) -> None:
        self.schedule(role.guild)

    @commands.Cog.listener()
    async def on_guild_role_update(self, _before: discord.Role, after: discord.Role) -> None:
        self.schedule(after.guild)

    @commands.Cog.listener()
    async def on_member_update(self, _before: discord.Member, after: discord.Member) -> None:
        if self.bot.user is not None and after.id == self.bot.user.id:  # the bot's own roles changed
            self.schedule(after.guild)
