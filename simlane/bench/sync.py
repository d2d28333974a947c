"""Benchmark: SimLane's bulk upserts against per-row ``update_or_create`` on the real-size reference catalogue.

Both write the same items (the recorded catalogue: 183 cars, 254 classes, 461 track configurations, 137 series,
served by the simulator's replay mode) into an empty database, then once more (a re-sync with nothing changed).
Queries are counted with Django's query capture; wall time with ``perf_counter``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from simlane.iracing.client import IRacingClient
from simlane.iracing.models import Car, CarClass, Series, Track
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.reference import TABLES, link_class_cars
from simlane.iracing.sync.upsert import bulk_upsert, naive_upsert


@dataclass
class SyncRun:
    name: str
    rows: int
    queries_first: int
    queries_again: int
    seconds_first: float
    seconds_again: float


def fetch_catalogue(fixtures: Path) -> dict[str, list[dict[str, Any]]]:
    async def go() -> dict[str, list[dict[str, Any]]]:
        sim = Simulator(SimulatorConfig(replay_dir=fixtures))
        await sim.start()
        try:
            async with IRacingClient(demo_client_config(sim.base_url)) as client:
                return {endpoint: await client.get(endpoint) for endpoint, *_ in TABLES}
        finally:
            await sim.stop()

    return asyncio.run(go())


def _once(items: dict[str, list[dict[str, Any]]], naive: bool) -> tuple[int, float]:
    connection.queries_log.clear()  # the log keeps 9,000 queries: start empty so none are dropped from the count
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        for endpoint, model, key, to_fields in TABLES:
            if naive:
                naive_upsert(model, key, items[endpoint], to_fields)
            else:
                bulk_upsert(model, key, items[endpoint], to_fields)
        link_class_cars()
    return len(ctx.captured_queries), time.perf_counter() - started


def run_sync_bench(fixtures: Path) -> list[SyncRun]:
    items = fetch_catalogue(fixtures)
    rows = sum(len(v) for v in items.values())
    out = []
    for name, naive in (("SimLane bulk", False), ("naive update_or_create", True)):
        for model in (CarClass, Car, Track, Series):
            model.objects.all().delete()
        q1, t1 = _once(items, naive)
        q2, t2 = _once(items, naive)
        out.append(SyncRun(name, rows, q1, q2, t1, t2))
    return out
