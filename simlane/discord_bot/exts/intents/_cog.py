"""Drains the intents queue: a poll every few seconds, or at once when the web enqueues in this process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from discord.ext import commands

from simlane.clubs.intents import aio, wakeup
from simlane.clubs.models import DiscordIntent
from simlane.discord_bot.gateway import held_shards
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.results.poller.outbox import DestinationError, Publisher, RejectedError, RetryLaterError

from ._handlers import HANDLERS, HandlerContext, IntentRefused

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)

POLL_SECONDS = 3.0
BATCH = 20  # intents per pass, so one busy server cannot keep the loop from sleeping


class IntentsCog(commands.Cog):
    def __init__(self, bot: SimLaneBot, publisher: Publisher | None = None) -> None:
        self.bot = bot
        self.publisher: Publisher = publisher or DiscordPublisher(bot)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop_listening: Callable[[], None] = _nothing

    async def cog_load(self) -> None:
        if self.bot.loops:
            loop = asyncio.get_running_loop()

            def wake() -> None:  # called from the web's threads
                loop.call_soon_threadsafe(self._wake.set)

            self._stop_listening = wakeup.listen(wake)
            self._task = asyncio.create_task(self._run())

    async def cog_unload(self) -> None:
        self._stop_listening()
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.drain()
            except Exception:  # a database hiccup must not end the worker for good; the next poll tries again
                logger.exception("intents drain failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()

    async def drain(self, limit: int = BATCH) -> int:
        """Carry out due intents, one at a time; returns how many were taken."""
        taken = 0
        while taken < limit:
            # Only this process's shards' servers: another shard's server is not in this process's cache.
            intent = await aio.intent_claim_next(now=self.bot.now(), shards=held_shards(self.bot))
            if intent is None:
                break
            taken += 1
            await self.run_one(intent)
        return taken

    async def run_one(self, intent: DiscordIntent) -> None:
        handler = HANDLERS.get(intent.kind)
        now = self.bot.now
        if handler is None:
            await aio.intent_failed(
                intent=intent, reason=f"This SimLane does not know how to do {intent.kind}.", now=now()
            )
            return
        try:
            result = await handler(HandlerContext(self.bot, self.publisher), intent)
        except (DestinationError, RejectedError) as exc:
            logger.warning("intent %s (%s) failed: %s", intent.id, intent.kind, exc)
            await aio.intent_failed(intent=intent, reason=_sentence(str(exc)), now=now())
        except RetryLaterError as exc:
            logger.info("intent %s (%s) deferred: %s", intent.id, intent.kind, exc)
            await aio.intent_retry_later(
                intent=intent, reason=_sentence(str(exc)), retry_after=exc.retry_after, now=now()
            )
        except IntentRefused as exc:
            await aio.intent_failed(intent=intent, reason=exc.message, now=now())
        else:
            await aio.intent_done(intent=intent, result=result, now=now())


def _nothing() -> None:
    return None


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
