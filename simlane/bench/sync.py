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
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection

from simlane.iracing.client import IRacingClient
from simlane.iracing.models import Car, CarClass, RaceWeek, Season, Series, SessionTime, Track
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.reference import TABLES, link_class_cars
from simlane.iracing.sync.schedule import session_starts
from simlane.iracing.sync.seasons import season_fields, write_seasons
from simlane.iracing.sync.upsert import bulk_upsert, naive_upsert


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


def naive_write_seasons(seasons: list[dict[str, Any]]) -> None:
    """Seasons, race weeks and session times the per-row way (``update_or_create`` / ``get_or_create``)."""
    for s in seasons:
        fields = season_fields({k: v for k, v in s.items() if k != "schedules"})
        season, _ = Season.objects.update_or_create(season_id=fields.pop("season_id"), defaults=fields)
        for w in s["schedules"]:
            track = w.get("track") or {}
            week, _ = RaceWeek.objects.update_or_create(
                key=f"{season.season_id}:{w['race_week_num']}",
                defaults={
                    "season": season,
                    "race_week_num": w["race_week_num"],
                    "start_date": w.get("start_date"),
                    "week_end_time": w.get("week_end_time"),
                    "iracing_track_id": track.get("track_id"),
                    "track": Track.objects.filter(track_id=track.get("track_id") or 0).first(),
                    "track_name": track.get("track_name") or "",
                    "race_time_descriptors": w.get("race_time_descriptors") or [],
                    "car_restrictions": w.get("car_restrictions") or [],
                    "weather": w.get("weather") or {},
                },
            )
            start = date.fromisoformat(str(w["start_date"])[:10]) if w.get("start_date") else None
            for t in session_starts(w.get("race_time_descriptors") or [], week_start=start):
                SessionTime.objects.get_or_create(race_week=week, start_time=t)


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
