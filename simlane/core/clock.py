"""The time every SimLane process agrees on: the wall clock, or a benchmark's shared fast clock.

``simlane bench chaos`` runs Celery workers, beat and a bot against the iRacing simulator on a clock that runs many
times faster than real time. Each process it starts gets ``SIMLANE_FAST_CLOCK=<wall origin>:<origin>:<speed>``
and reads the same simulated time from its own wall clock: ``origin + (wall - wall origin) * speed``. Without the
variable (every real deployment) this is the wall clock.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime

FAST_CLOCK_ENV = "SIMLANE_FAST_CLOCK"


class FastClock:
    """Epoch seconds running ``speed`` times faster than the wall clock from ``origin`` at ``wall_origin``."""

    def __init__(self, *, wall_origin: float, origin: float, speed: float) -> None:
        self.wall_origin, self.origin, self.speed = wall_origin, origin, speed

    def time(self) -> float:
        return self.origin + (time.time() - self.wall_origin) * self.speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)

    def environ(self) -> dict[str, str]:
        """The variable that gives another process this clock."""
        return {FAST_CLOCK_ENV: f"{self.wall_origin!r}:{self.origin!r}:{self.speed!r}"}


def shared_clock() -> FastClock | None:
    """The fast clock this process was started with, or None (the wall clock)."""
    spec = os.environ.get(FAST_CLOCK_ENV)
    if not spec:
        return None
    wall_origin, origin, speed = (float(part) for part in spec.split(":"))
    return FastClock(wall_origin=wall_origin, origin=origin, speed=speed)


def now() -> datetime:
    clock = shared_clock()
    return datetime.now(UTC) if clock is None else datetime.fromtimestamp(clock.time(), UTC)


def speed() -> float:
    """How many seconds of this process's time pass in one real second (1 without a fast clock)."""
    clock = shared_clock()
    return 1.0 if clock is None else clock.speed
