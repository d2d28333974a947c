"""Benchmark: SimLane's bulk upserts against per-row ``update_or_create`` on a catalogue the size of the real one.

Both write the same items into an empty database, then once more (a re-sync with nothing changed): the recorded
catalogue (183 cars, 254 classes, 461 track configurations, 137 series) and a year of seasons — 150 series × 4
quarters, each with the recorded 12-week schedule (its tracks, descriptors, BOP and weather) — all served by the
simulator's replay mode. Queries are counted with Django's query capture; wall time with ``perf_counter``.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from simlane.iracing.client import IRacingClient
from simlane.iracing.models import Car, CarClass, RaceWeek, Season, Series, SessionTime, Track
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.reference import TABLES, link_class_cars
from simlane.iracing.sync.seasons import write_seasons
from simlane.iracing.sync.upsert import bulk_upsert

from .naive import naive_upsert, naive_write_seasons


@dataclass
class SyncRun:
    name: str
    rows: int
    queries_first: int
    queries_again: int
    seconds_first: float
    seconds_again: float


SERIES_COUNT, YEAR = 150, 2026


def year_of_seasons(fixtures: Path, series_ids: list[int]) -> list[dict[str, Any]]:
    """150 series × 4 quarters, each season with the recorded 12-week schedule re-keyed to it."""
    recorded = json.loads((fixtures / "series_season_schedule.json").read_text(encoding="utf-8"))["schedules"]
    ids = (series_ids + [900_000 + i for i in range(SERIES_COUNT)])[:SERIES_COUNT]
    seasons = []
    for n, series_id in enumerate(ids):
        for quarter in range(1, 5):
            season_id = 800_000 + n * 4 + quarter
            weeks = [{**w, "season_id": season_id, "series_id": series_id} for w in recorded]
            seasons.append(
                {
                    "season_id": season_id,
                    "series_id": series_id,
                    "season_name": f"{YEAR} S{quarter} {series_id}",
                    "season_year": YEAR,
                    "season_quarter": quarter,
                    "official": True,
                    "schedules": weeks,
                }
            )
    return seasons


def fetch_catalogue(fixtures: Path) -> dict[str, Any]:
    """Everything both strategies write, fetched over HTTP from the simulator in replay mode."""
    with tempfile.TemporaryDirectory() as tmp:
        replay = Path(tmp)
        for f in fixtures.glob("*.json"):
            shutil.copy(f, replay / f.name)
        series_ids = [s["series_id"] for s in json.loads((fixtures / "get_series.json").read_text(encoding="utf-8"))]
        (replay / "series.seasons.json").write_text(json.dumps(year_of_seasons(fixtures, series_ids)))

        async def go() -> dict[str, Any]:
            sim = Simulator(SimulatorConfig(replay_dir=replay))
            await sim.start()
            try:
                async with IRacingClient(demo_client_config(sim.base_url)) as client:
                    out = {endpoint: await client.get(endpoint) for endpoint, *_ in TABLES}
                    out["series/seasons"] = await client.get("series/seasons")
                    return out
            finally:
                await sim.stop()

        return asyncio.run(go())


def _once(items: dict[str, Any], naive: bool) -> tuple[int, float]:
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries  # an execute wrapper counts every statement; Django's query log keeps only 9,000
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        for endpoint, model, key, to_fields in TABLES:
            if naive:
                naive_upsert(model, key, items[endpoint], to_fields)
            else:
                bulk_upsert(model, key, items[endpoint], to_fields)
        link_class_cars()
        if naive:
            naive_write_seasons(items["series/seasons"])
        else:
            write_seasons(items["series/seasons"], retire_missing=True)
    return queries, time.perf_counter() - started


def run_sync_bench(fixtures: Path) -> list[SyncRun]:
    items = fetch_catalogue(fixtures)
    weeks = sum(len(s["schedules"]) for s in items["series/seasons"])
    rows = sum(len(v) for k, v in items.items() if k != "series/seasons") + len(items["series/seasons"]) + weeks
    out = []
    for name, naive in (("SimLane bulk", False), ("naive update_or_create", True)):
        for model in (SessionTime, RaceWeek, Season, CarClass, Car, Track, Series):
            model.objects.all().delete()
        q1, t1 = _once(items, naive)
        q2, t2 = _once(items, naive)
        out.append(SyncRun(name, rows, q1, q2, t1, t2))
    return out
