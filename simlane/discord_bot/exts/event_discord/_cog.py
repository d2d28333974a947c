"""The tick: every ``TICK_SECONDS`` the bot runs the reconciler for each event whose next time-driven step (race
voice, start, end, archive, or a paced or deferred creation) has come, so nobody has to click anything."""

from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from simlane.discord_bot.gateway import held_shards
from simlane.events.discord_objects import aio

from ._reconcile import CardPoster, Outcome, reconcile

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)

TICK_SECONDS = 30.0
TICK_BATCH = 20  # events per tick, so a backlog never holds the loop long


CARD_MODULE = "simlane.discord_bot.exts.events._sync"  # the events extension's card: card_post_or_edit


def card_poster(bot: SimLaneBot, event_id: int, *, nonce: str, recover: bool) -> CardPoster | None:
    """The events extension's signup card poster for this event, or None when that extension is not installed."""
    try:
        module = importlib.import_module(CARD_MODULE)
    except ModuleNotFoundError:
        return None
    post = module.card_post_or_edit

    async def run() -> object:
        return await post(bot, event_id, nonce=nonce, recover=recover)

    return run


class EventDiscordCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.loops:
            self._task = asyncio.create_task(self._run())

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def sync(self, event_id: int, *, nonce: str | None = None, recover: bool = True) -> Outcome | None:
        """Run the reconciler for one event now (``nonce``: the intent's, so a repeated card post is one message;
        ``recover``: look for a card an earlier, interrupted run may have posted)."""
        card = card_poster(self.bot, event_id, nonce=nonce or secrets.token_hex(12), recover=recover)
        return await reconcile(self.bot, event_id, now=self.bot.now(), card=card)

    async def tick(self) -> int:
        """Reconcile every event whose next step is due; returns how many were looked at."""
        due = await aio.events_due(now=self.bot.now(), limit=TICK_BATCH, shards=held_shards(self.bot))
        for event_id in due:
            await self.sync(event_id)
        return len(due)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        """An admin changed one of SimLane's own roles (likely to give what a blocked event needs): try those
        events again once. Still missing, they block again at once, without asking Discord."""
        guild = after.guild
        if guild.me is None or after not in guild.me.roles or before.permissions == after.permissions:
            return
        for event_id in await aio.events_blocked(guild_id=guild.id):
            await self.sync(event_id)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.tick()
            except Exception:  # a database or Discord hiccup must not end the tick for good; the next one retries
                logger.exception("event Discord tick failed")
            await asyncio.sleep(TICK_SECONDS)
