"""The tick: every ``TICK_SECONDS`` the bot runs the reconciler for each event whose next time-driven step (race
voice, start, end, archive, or a paced or deferred creation) has come, so nobody has to click anything."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from simlane.events.discord_objects import aio

from ._reconcile import CardPoster, Outcome, reconcile

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)

TICK_SECONDS = 30.0
TICK_BATCH = 20  # events per tick, so a backlog never holds the loop long


class EventDiscordCog(commands.Cog):
    card: CardPoster | None = None  # the signup card's poster, set by the events extension when it is loaded

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.loops:
            self._task = asyncio.create_task(self._run())

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def sync(self, event_id: int) -> Outcome | None:
        """Run the reconciler for one event now."""
        return await reconcile(self.bot, event_id, now=self.bot.now(), card=self.card)

    async def tick(self) -> int:
        """Reconcile every event whose next step is due; returns how many were looked at."""
        due = await aio.events_due(now=self.bot.now(), limit=TICK_BATCH)
        for event_id in due:
            await self.sync(event_id)
        return len(due)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.tick()
            except Exception:  # a database or Discord hiccup must not end the tick for good; the next one retries
                logger.exception("event Discord tick failed")
            await asyncio.sleep(TICK_SECONDS)
