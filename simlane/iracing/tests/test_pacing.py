"""Pacing on the rate-limit headers: a long run never exceeds the budget and never sees a 429."""

from __future__ import annotations

import asyncio

from simlane.iracing.simulator import SimClock


async def test_long_run_stays_within_the_rate_limit(sim_factory, make_client):
    # 60× clock: a 60 s window passes in one real second, so four windows take about four seconds.
    sim = sim_factory(clock=SimClock(speed=60), rate_limit=25, members=100)
    await sim.start()
    try:
        async with make_client(sim, concurrency=4) as client:
            await asyncio.gather(*(client.get("constants/categories") for _ in range(100)))
            assert client.metrics.requests_sent == 100
            assert client.metrics.budget_waits > 0
    finally:
        await sim.stop()
    assert sim.counters["data:429"] == 0
    # No window ever held more than the limit.
    windows: dict[int, int] = {}
    start = None
    for call in (c for c in sim.calls if c["kind"] == "data"):
        if start is None or call["t"] >= start + 60:
            start = call["t"]
        windows[int(start)] = windows.get(int(start), 0) + 1
    assert max(windows.values()) <= 25 and len(windows) >= 4
