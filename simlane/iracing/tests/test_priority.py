"""The rate budget's two lanes on a stopped clock: interactive lookups go ahead of background polling."""

from __future__ import annotations

import asyncio

import pytest

from simlane.iracing.client.errors import RateLimitError
from simlane.iracing.client.metrics import ClientMetrics
from simlane.iracing.client.ratelimit import Priority, RateBudget, background

RESERVE = 12  # requests of a window kept for interactive calls


class StoppedClock:
    """Time moves only when the test says so; sleepers wake in the order of their wake-up times."""

    def __init__(self) -> None:
        self.t = 1_000.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.t + seconds, fut))
        await fut

    async def advance(self, seconds: float) -> None:
        self.t += seconds
        for at, fut in sorted(self._sleepers, key=lambda s: s[0]):
            if at <= self.t and not fut.done():
                fut.set_result(None)
                await asyncio.sleep(0)  # let that sleeper run before the next one wakes
        self._sleepers = [(at, f) for at, f in self._sleepers if not f.done()]
        for _ in range(5):
            await asyncio.sleep(0)


def spent_budget(clock: StoppedClock, *, limit: int = 20, remaining: int = 0) -> RateBudget:
    budget = RateBudget(clock, ClientMetrics())
    budget.limit, budget.remaining, budget.reset_at = limit, remaining, clock.t + 60
    return budget


async def test_after_a_reset_the_waiting_lookup_goes_before_the_poller_that_waited_longer():
    clock = StoppedClock()
    budget = spent_budget(clock)
    order: list[str] = []

    async def take(name: str, priority: Priority) -> None:
        await budget.acquire(priority=priority)
        order.append(name)

    poller = asyncio.create_task(take("poller", Priority.BACKGROUND))
    await asyncio.sleep(0)
    lookup = asyncio.create_task(take("autocomplete", Priority.INTERACTIVE))
    await asyncio.sleep(0)
    assert order == []  # the window is spent: both wait

    await clock.advance(61)
    await asyncio.gather(poller, lookup)

    assert order == ["autocomplete", "poller"]


async def test_background_work_leaves_the_last_requests_of_a_window_to_interactive_calls():
    clock = StoppedClock()
    budget = spent_budget(clock, remaining=RESERVE)

    with background(), pytest.raises(RateLimitError):  # the poller's lane, picked up from the context
        await budget.acquire(wait=False)
    assert budget.remaining == RESERVE  # nothing taken

    await budget.acquire(wait=False)  # an interactive lookup still gets through
    assert budget.remaining == RESERVE - 1


async def test_background_work_runs_freely_while_the_window_has_room():
    clock = StoppedClock()
    budget = spent_budget(clock, remaining=RESERVE + 2)
    with background():
        await budget.acquire(wait=False)
        await budget.acquire(wait=False)
        with pytest.raises(RateLimitError):
            await budget.acquire(wait=False)
