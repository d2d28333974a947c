"""Benchmark: SimLane's async client against iracingdataapi 1.4.4 on the same results/get payloads.

Both talk to one simulator (same rate limit, same injected latency on /data and on link downloads) in one run.
iracingdataapi is synchronous and fetches one result at a time; SimLane's client overlaps requests up to its
concurrency limit while staying inside the same rate budget.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.routes import DataService


@dataclass
class ClientBenchResult:
    results: int
    latency: float
    simlane_seconds: float
    baseline_seconds: float
    simlane_requests: int
    baseline_requests: int
    rate_limited: int

    @property
    def ratio(self) -> float:
        return self.baseline_seconds / self.simlane_seconds


def pick_subsessions(sim: Simulator, count: int) -> list[int]:
    """The newest ``count`` finished subsessions of the simulated world."""
    assert isinstance(sim.data, DataService)
    now = sim.clock.time()
    begin = datetime.fromtimestamp(now, UTC) - timedelta(hours=12)
    rows = sim.data.results.search_series({"finish_range_begin": begin.strftime("%Y-%m-%dT%H:%M:%SZ")}, now).payload
    ids = [int(r["subsession_id"]) for r in rows][-count:]
    if len(ids) < count:
        raise RuntimeError(f"only {len(ids)} finished subsessions in the simulated world; ask for fewer")
    return ids


def run_client_bench(
    *, results: int = 60, latency: float = 0.08, concurrency: int = 4, progress: Callable[[str], None] = print
) -> ClientBenchResult:
    sim = Simulator(SimulatorConfig(latency=latency, members=2000))
    url = sim.start_in_thread()
    try:
        ids = pick_subsessions(sim, results)
        config = demo_client_config(url, concurrency=concurrency)

        async def simlane() -> tuple[float, str, list[int]]:
            async with IRacingClient(config) as client:
                token = await client.access_token()
                started = time.perf_counter()
                fetched = await asyncio.gather(*(client.results_get(i) for i in ids))
                return time.perf_counter() - started, token, [r.subsession_id for r in fetched]

        before = sim.counters["data"]
        progress(f"SimLane client: {results} results/get, concurrency {concurrency}, latency {latency * 1000:.0f} ms")
        simlane_seconds, token, simlane_ids = asyncio.run(simlane())
        simlane_requests = sim.counters["data"] - before

        from iracingdataapi.client import irDataClient

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ida = irDataClient(access_token=token, silent=True)
        ida.base_url = url
        progress(f"iracingdataapi 1.4.4: the same {results} results, one at a time")
        before = sim.counters["data"]
        started = time.perf_counter()
        baseline_ids = [int(ida.result(i)["subsession_id"]) for i in ids]
        baseline_seconds = time.perf_counter() - started
        baseline_requests = sim.counters["data"] - before
        if simlane_ids != ids or baseline_ids != ids:
            raise RuntimeError("the two clients did not fetch the same results")
        return ClientBenchResult(
            results=results,
            latency=latency,
            simlane_seconds=simlane_seconds,
            baseline_seconds=baseline_seconds,
            simlane_requests=simlane_requests,
            baseline_requests=baseline_requests,
            rate_limited=sim.counters["data:429"],
        )
    finally:
        sim.stop_thread()
