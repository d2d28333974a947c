"""One account's rate budget shared through Redis: many clients together stay inside it (no 429 at all)."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from simlane.conftest import REDIS_URL
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator

LIMIT = 20
CLIENTS = 5
CALLS = 16  # per client: 80 requests, four windows' worth


async def forget_budgets() -> None:
    redis = Redis.from_url(REDIS_URL)
    try:
        for pattern in ("simlane:iracing:budget:*", "simlane:iracing:inflight:*"):
            keys = [key async for key in redis.scan_iter(pattern)]
            if keys:
                await redis.delete(*keys)
    finally:
        await redis.aclose()


async def run_clients(sim: Simulator, make_client, *, shared: bool) -> list[IRacingClient]:
    # Separate clients with nothing in common but Redis, as separate processes would be.
    overrides: dict[str, object] = {"concurrency": 4, "max_retry_seconds": 600.0}
    if shared:
        overrides["shared_budget_url"] = REDIS_URL
    clients = [make_client(sim, **overrides) for _ in range(CLIENTS)]
    try:
        await asyncio.gather(*(c.get("constants/categories") for c in clients for _ in range(CALLS)))
    finally:
        for client in clients:
            await client.aclose()
    return clients


def most_in_one_window(sim: Simulator) -> int:
    """The most requests the simulator counted in one of its rate windows."""
    windows: list[int] = []
    start = None
    for call in (c for c in sim.calls if c["kind"] == "data"):
        if start is None or call["t"] >= start + 60:
            start = call["t"]
            windows.append(0)
        windows[-1] += 1
    return max(windows)


@pytest.mark.needs_redis
async def test_clients_sharing_the_budget_never_exceed_it(sim_factory, make_client):
    await forget_budgets()
    # The budget's windows in Redis pass in real time: a 20× clock (a 60 s window in 3 real seconds) keeps the edges
    # of a window well apart from a loaded machine's scheduling delays (at 60×, a CI run once saw 4 requests past it).
    sim = sim_factory(clock=SimClock(speed=20), rate_limit=LIMIT, members=50)
    await sim.start()
    try:
        clients = await run_clients(sim, make_client, shared=True)
    finally:
        await sim.stop()
    assert sim.counters["data:429"] == 0
    assert sim.counters["data:200"] == CLIENTS * CALLS
    assert most_in_one_window(sim) <= LIMIT
    assert sum(c.metrics.budget_waits for c in clients) > 0  # the budget bound: they waited for resets


@pytest.mark.needs_redis
async def test_clients_pacing_alone_collide_on_one_account(sim_factory, make_client):
    # The same load with each client pacing on its own: the account's budget is overrun (what sharing prevents).
    sim = sim_factory(clock=SimClock(speed=60), rate_limit=LIMIT, members=50)
    await sim.start()
    try:
        await run_clients(sim, make_client, shared=False)
    finally:
        await sim.stop()
    assert sim.counters["data:429"] > 0


def test_one_account_written_two_ways_shares_one_budget():
    from simlane.iracing.client.shared_budget import budget_account, budget_keys

    same = budget_keys(budget_account("simlane", " Driver@Example.com"))
    assert same == budget_keys(budget_account("simlane", "driver@example.com"))
    assert same != budget_keys(budget_account("simlane", "other@example.com"))
