"""The results job: a poller cycle, then an outbox drain, every poll interval, until stopped.

Without a poller it only drains: the form the bot process takes when Celery workers search (with a broker).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from .outbox import DrainReport, Outbox
from .strategy import CycleReport

logger = logging.getLogger(__name__)


class Poller(Protocol):
    on_claims: Callable[[], Awaitable[object]] | None

    async def cycle(self) -> CycleReport: ...


@dataclass
class Tick:
    cycle: CycleReport
    drain: DrainReport


class ResultsRunner:
    def __init__(
        self,
        poller: Poller | None,
        outbox: Outbox,
        *,
        interval_seconds: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_tick: Callable[[Tick], Awaitable[None]] | None = None,
    ) -> None:
        self.poller, self.outbox = poller, outbox
        # Post results as the poller finds them, not only after its pass.
        if poller is not None and poller.on_claims is None:
            poller.on_claims = outbox.drain_posts
        self.interval_seconds = interval_seconds
        self.sleep = sleep
        self.on_tick = on_tick

    async def tick(self) -> Tick:
        cycle = CycleReport() if self.poller is None else await self.poller.cycle()
        if cycle.maintenance:
            logger.info("iRacing is in maintenance; searching again next cycle")
        tick = Tick(cycle, await self.outbox.drain())
        if self.on_tick:
            await self.on_tick(tick)
        return tick

    async def run_forever(self) -> None:
        """Tick every interval. An unexpected error is logged and the next tick still runs: the job never dies."""
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("results tick failed; retrying next interval")
            await self.sleep(self.interval_seconds)
