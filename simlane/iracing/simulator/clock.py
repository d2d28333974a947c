"""The simulator's clock: real time, optionally faster, and advanceable by tests."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime


class SimClock:
    """Epoch seconds that run ``speed`` times faster than real time, plus whatever :meth:`advance` added.

    It reads ``time.perf_counter`` (monotonic too), not ``time.monotonic``: simcord replaces ``time.monotonic`` with
    its virtual Discord clock inside the bot's tasks, which would make a slash command see another time.

    The client can share this object (in-process tests, benchmarks, the demo) so that its pacing and backoff waits
    run on the same accelerated time as the simulated world.
    """

    def __init__(self, *, start: float | None = None, speed: float = 1.0) -> None:
        self._origin = time.time() if start is None else start
        self._mono = time.perf_counter()
        self._offset = 0.0
        self.speed = speed

    def time(self) -> float:
        return self._origin + (time.perf_counter() - self._mono) * self.speed + self._offset

    def now(self) -> datetime:
        """:meth:`time` as an aware UTC datetime (what pollers, outboxes and the bot take as ``now``)."""
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        """Jump forward (tests use this to make races finish without waiting; ``speed=0`` clocks move only so)."""
        self._offset += seconds

    def set_speed(self, speed: float) -> None:
        now = self.time()
        self._origin, self._mono, self._offset, self.speed = now, time.perf_counter(), 0.0, speed

    async def sleep(self, seconds: float) -> None:
        if self.speed == 0:  # a stopped clock (benchmarks): sleeping is what moves it
            self.advance(max(0.0, seconds))
            await asyncio.sleep(0)
            return
        await asyncio.sleep(max(0.0, seconds) / self.speed)
