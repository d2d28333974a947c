"""Lap by lap: positions, lap times, pit stops and incidents from ``results/lap_chart_data`` (and, for a team,
``results/lap_data``, whose rows name the driver of each lap). Pure functions over parsed rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import LapRow

PIT_EVENTS = {"pitted"}


@dataclass(frozen=True)
class TimedLap:
    lap_number: int
    seconds: float
    driver: str


@dataclass
class RaceLaps:
    """Every car's laps in the main event; a car is its ``group_id`` (the cust_id, or the team id)."""

    rows: list[LapRow]
    classes: dict[int, int | None]  # group_id -> car_class_id
    team_rows: dict[int, list[LapRow]] = field(default_factory=dict)  # group_id -> lap_data rows of that team

    @property
    def multiclass(self) -> bool:
        return len({c for c in self.classes.values() if c is not None}) > 1

    def class_of(self, group_id: int) -> int | None:
        return self.classes.get(group_id)

    def _rows_of(self, group_id: int) -> list[LapRow]:
        own = self.team_rows.get(group_id) or [r for r in self.rows if r.group_id == group_id]
        return sorted(own, key=lambda r: r.lap_number)

    def class_positions(self) -> dict[int, list[tuple[int, int]]]:
        """Per car, (lap, position in its class) at the end of each lap; the overall position in one-class races."""
        by_lap: dict[int, list[LapRow]] = defaultdict(list)
        for row in self.rows:
            if row.group_id is not None and row.lap_position is not None:
                by_lap[row.lap_number].append(row)
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for lap in sorted(by_lap):
            per_class: dict[int | None, int] = defaultdict(int)
            for row in sorted(by_lap[lap], key=lambda r: r.lap_position or 0):
                assert row.group_id is not None
                klass = self.classes.get(row.group_id)
                per_class[klass] += 1
                out[row.group_id].append((lap, per_class[klass]))
        return dict(out)

    def pit_laps(self, group_id: int) -> list[int]:
        return [r.lap_number for r in self._rows_of(group_id) if PIT_EVENTS & {e.lower() for e in r.lap_events}]

    def incident_laps(self, group_id: int) -> list[int]:
        return [r.lap_number for r in self._rows_of(group_id) if r.incident]

    def timed_laps(self, group_id: int) -> list[TimedLap]:
        """Laps with a time (lap 0, the start, has none), each with the name of who drove it."""
        out = []
        for r in self._rows_of(group_id):
            seconds = r.lap_time.seconds
            if r.lap_number >= 1 and seconds is not None:
                out.append(TimedLap(r.lap_number, seconds, r.display_name or ""))
        return out

    def laps_led(self, group_id: int) -> int:
        return sum(1 for r in self.rows if r.group_id == group_id and r.lap_number >= 1 and r.lap_position == 1)


def group_of(result: SubsessionResult, cust_id: int) -> int | None:
    """The lap chart's ``group_id`` of the car ``cust_id`` drove: the team id in team events, else the cust_id."""
    race = result.main_event()
    if race is None:
        return None
    for row in race.results:
        if row.cust_id == cust_id:
            return cust_id
        if any(d.cust_id == cust_id for d in row.driver_results):
            return row.team_id
    return None


def race_laps(
    result: SubsessionResult, rows: list[LapRow], team_rows: dict[int, list[LapRow]] | None = None
) -> RaceLaps:
    """Join the lap chart with the result's car classes."""
    race = result.main_event()
    classes: dict[int, int | None] = {}
    for row in race.results if race else []:
        key = row.team_id if row.is_team else row.cust_id
        if key is not None:
            classes[key] = row.car_class_id
            for d in row.driver_results:  # some lap charts key team laps by the driver
                if d.cust_id is not None:
                    classes.setdefault(d.cust_id, row.car_class_id)
    return RaceLaps(rows=rows, classes=classes, team_rows=team_rows or {})
