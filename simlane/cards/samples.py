"""Races to draw cards of without a network: the recorded real results and the simulator's world.

Used by the golden-image tests, ``simlane bench render`` and the README's picture.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import TypeAdapter

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import LapRow
from simlane.iracing.simulator.catalog import SERIES
from simlane.iracing.simulator.payloads import Payloads
from simlane.iracing.simulator.replay import RECORDED_DIR
from simlane.iracing.simulator.world import Session, World

LAP_ROWS = TypeAdapter(list[LapRow])
SOLO, MULTICLASS, TEAM = 1, 2, 3  # simulated series: GT3 Challenge, IMSA Endurance (two classes), Team Endurance
_DAY = int(datetime(2026, 1, 6, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Sample:
    name: str
    result: SubsessionResult
    cust_id: int
    rows: list[LapRow] | None  # the lap chart, when there is one


def _row_index(result: SubsessionResult, index: int) -> int:
    race = result.main_event()
    assert race is not None
    row = race.results[min(index, len(race.results) - 1)]
    found = row.cust_id if row.cust_id is not None else row.driver_results[0].cust_id
    assert found is not None
    return found


@functools.cache
def recorded(name: str, position: int = 3) -> Sample:
    """A recorded real result (``result.json`` comes with its real lap chart) and its driver at ``position``."""
    result = SubsessionResult.model_validate(json.loads((RECORDED_DIR / f"{name}.json").read_text()))
    rows = None
    if name == "result":
        rows = LAP_ROWS.validate_python(json.loads((RECORDED_DIR / "result_lap_chart_data.json").read_text()))
    return Sample(f"recorded-{name}", result, _row_index(result, position), rows)


@functools.cache
def simulated(series_index: int, position: int = 3, min_field: int = 6) -> Sample:
    """The first simulated race of a series with at least ``min_field`` cars, with its lap chart."""
    world = World(seed=7, members=600)
    payloads = Payloads(world)
    series = SERIES[series_index]
    start = _DAY + series.first_minute * 60  # the series' session slots: its first of the day, then every repeat
    for _ in range(200):
        session = Session(series_index, start)
        splits = world.splits(session)
        raw = payloads.result(session.subsession_id(0)) if splits and len(splits[0]) >= min_field else None
        if raw is not None:
            result = SubsessionResult.model_validate(raw)
            rows = LAP_ROWS.validate_python(payloads.laps(raw, None))
            return Sample(f"simulated-{series_index}", result, _row_index(result, position), rows)
        start += series.repeat_minutes * 60
    raise LookupError(f"no simulated race of series {series_index} with {min_field} cars")


def renamed(sample: Sample, name: str) -> Sample:
    """The same race with the driver renamed (long and non-Latin names)."""
    raw = sample.result.model_dump(mode="json", by_alias=True)
    for session in raw["session_results"]:
        for row in session["results"]:
            for d in (row, *row.get("driver_results", [])):
                if d.get("cust_id") == sample.cust_id:
                    d["display_name"] = name
    return Sample(f"{sample.name}-renamed", SubsessionResult.model_validate(raw), sample.cust_id, sample.rows)
