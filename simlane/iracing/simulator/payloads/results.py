"""``results/*`` and ``stats/member_recent_races`` payloads: a subsession's full result and the rows derived from it."""

from __future__ import annotations

import functools
import math
from datetime import UTC, datetime
from typing import Any

from ..catalog import CARS, CLASS_PACE, CLASSES, LICENSE_CATEGORY, TRACK_BY_ID
from ..names import TEAM_WORDS
from ..world import Member, Session, iso, mix, mix_from, mix_state
from .common import CAR_BY_ID, PayloadBase, helmet, track_ref

Car = tuple[int, str, str, int]  # car_id, name, abbreviation, class id
Unit = tuple[int, float, list[tuple[Member, Car]]]  # class id, lap time, drivers (two in a team)


class ResultPayloads(PayloadBase):
    """Results of the world's sessions."""

    # Bounded, lives with the simulator; large enough that a poller's first searches of thousands of drivers (a week
    # of races each) do not build the same results over and over.
    @functools.lru_cache(maxsize=8192)  # noqa: B019
    def result(self, subsession_id: int) -> dict[str, Any] | None:
        """``results/get`` for a finished subsession, or None if it does not exist."""
        found = self.world.session_of_subsession(subsession_id)
        if found is None:
            return None
        session, split = found
        splits = self.world.splits(session)
        if split >= len(splits):
            return None
        return self.build_result(session, split, splits[split])

    def build_result(self, session: Session, split: int, entrants: tuple[Member, ...]) -> dict[str, Any]:
        """``results/get`` of one split with these entrants (league races pass their own)."""
        s = session.series
        _, _, _, track_id = self.world.race_week(session.series_index, session.start)
        track = TRACK_BY_ID[track_id]
        subsession_id = session.subsession_id(split)
        units = self._units(entrants, track.base_lap_s, subsession_id, team=s.team)
        class_order = sorted({u[0] for u in units}, key=lambda c: CLASS_PACE[c])
        laps_total = max(1, int(s.session_minutes * 60 / (track.base_lap_s * CLASS_PACE[class_order[0]])))
        sof = _sof([m.irating for _, _, members in units for m, _ in members])
        results = self._race_rows(units, class_order, laps_total, subsession_id, sof, team=s.team)
        best = min((r["best_lap_time"] for r in results if r["best_lap_time"] > 0), default=-1)
        return {
            **self._event(session, split, sof),
            "event_best_lap_time": best,
            "event_average_lap": int(best * 1.02) if best > 0 else -1,
            "event_laps_complete": laps_total,
            "num_drivers": sum(len(u[2]) for u in units),
            "car_classes": [self._car_class(c, units, results) for c in class_order],
            "session_results": [
                {
                    "simsession_number": -1,
                    "simsession_type": 4,
                    "simsession_type_name": "Lone Qualifying",
                    "simsession_subtype": 0,
                    "simsession_name": "QUALIFY",
                    "results": [],
                },
                {
                    "simsession_number": 0,
                    "simsession_type": 6,
                    "simsession_type_name": "Race",
                    "simsession_subtype": 0,
                    "simsession_name": "RACE",
                    "weather_result": {"avg_temp": 21.0, "temp_units": 1, "precip_mm": 0},
                    "results": results,
                },
            ],
        }

    def _units(self, entrants: tuple[Member, ...], base_lap_s: float, subsession_id: int, *, team: bool) -> list[Unit]:
        """Entrants as (class, lap time, drivers): one driver each, or pairs in team series."""
        scored = []
        for m in entrants:
            car = CAR_BY_ID[m.car_id]
            pace = base_lap_s * CLASS_PACE[car[3]] * (1.04 - m.irating / 150_000)
            noise = mix_from(self.world.member_state(m.cust_id), subsession_id)
            scored.append((car[3], pace * (1 + 0.02 * noise), m, car))
        if not team:
            return [(c, t, [(m, car)]) for c, t, m, car in scored]
        units: list[Unit] = []
        for i in range(0, len(scored), 2):
            pair = scored[i : i + 2]
            units.append((pair[0][0], sum(p[1] for p in pair) / len(pair), [(p[2], p[3]) for p in pair]))
        return units

    def _race_rows(
        self, units: list[Unit], class_order: list[int], laps_total: int, subsession_id: int, sof: int, *, team: bool
    ) -> list[dict[str, Any]]:
        """The race's result rows in finishing order (classes by pace, then lap time); teams carry their drivers."""
        ordered = sorted(units, key=lambda u: (class_order.index(u[0]), u[1]))
        class_pos: dict[int, int] = {}
        results = []
        for pos, (class_id, lap, members) in enumerate(ordered):
            cpos = class_pos.get(class_id, 0)
            class_pos[class_id] = cpos + 1
            laps = max(1, laps_total - int(pos // 6))
            driver_rows = [
                self._driver_row(m, car, pos, cpos, lap, laps, subsession_id, len(ordered), sof, team)
                for m, car in members
            ]
            results.append(self._team_row(members[0][0], driver_rows, laps) if team else driver_rows[0])
        return results

    def _team_row(self, first: Member, driver_rows: list[dict[str, Any]], laps: int) -> dict[str, Any]:
        """A team's row: a negative team id, no per-driver ratings, its drivers under ``driver_results``."""
        team_id = -(300_000 + first.cust_id % 99_991)
        row = {
            **driver_rows[0],
            "team_id": team_id,
            "display_name": self._team_name(first),
            "oldi_rating": -1,
            "newi_rating": -1,
            "old_sub_level": -1,
            "new_sub_level": -1,
            "old_license_level": -1,
            "new_license_level": -1,
            "division": -1,
            "incidents": sum(d["incidents"] for d in driver_rows),
            "laps_complete": laps,
            "driver_results": [{**d, "team_id": team_id} for d in driver_rows],
        }
        row.pop("cust_id")
        row.pop("helmet")
        return row

    @staticmethod
    def _car_class(class_id: int, units: list[Unit], results: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "car_class_id": class_id,
            "short_name": CLASSES[class_id][1],
            "name": CLASSES[class_id][0],
            "strength_of_field": _sof([m.irating for u in units if u[0] == class_id for m, _ in u[2]]),
            "num_entries": sum(r["car_class_id"] == class_id for r in results),
            "cars_in_class": [{"car_id": car[0]} for car in CARS if car[3] == class_id],
        }

    def _event(self, session: Session, split: int, sof: int) -> dict[str, Any]:
        """The fields of a result that describe the event rather than its finishers."""
        w, s = self.world, session.series
        season_id, week, _, track_id = w.race_week(session.series_index, session.start)
        year, quarter = w.quarter_of(session.start)
        subsession_id = session.subsession_id(split)
        splits = range(len(w.splits(session)))
        return {
            "subsession_id": subsession_id,
            "session_id": session.session_id,
            "start_time": iso(session.start),
            "end_time": iso(session.end),
            "season_id": season_id,
            "season_name": f"{s.name} - {year} Season {quarter}",
            "season_short_name": f"{year} Season {quarter}",
            "season_year": year,
            "season_quarter": quarter,
            "series_id": s.series_id,
            "series_name": s.name,
            "series_short_name": s.short_name,
            "series_logo": f"seriesid_{s.series_id}.png",
            "race_week_num": week,
            "event_type": 5,
            "event_type_name": "Race",
            "license_category": LICENSE_CATEGORY[s.category_id],
            "license_category_id": s.category_id,
            "official_session": w.is_official(session),
            "points_type": "race",
            "event_strength_of_field": sof,
            "num_cautions": 0,
            "num_caution_laps": 0,
            "num_lead_changes": int(mix(w.seed, subsession_id, 3) * 8),
            "driver_changes": s.team,
            "min_team_drivers": 2 if s.team else 1,
            "max_team_drivers": 2 if s.team else 1,
            "private_session_id": -1,
            "results_restricted": False,
            "can_protest": True,
            "caution_type": 0,
            "cooldown_minutes": 0,
            "corners_per_lap": 12,
            "damage_model": 0,
            "limit_minutes": s.session_minutes,
            "associated_subsession_ids": [session.subsession_id(i) for i in splits],
            "allowed_licenses": [],
            "session_splits": [
                {"subsession_id": session.subsession_id(i), "event_strength_of_field": sof} for i in splits
            ],
            "track": {**track_ref(track_id)},
            "track_state": {
                "leave_marbles": False,
                "practice_rubber": -1,
                "qualify_rubber": -1,
                "race_rubber": -1,
                "warmup_rubber": -1,
            },
            "weather": {
                "temp_units": 1,
                "temp_value": 21,
                "wind_units": 1,
                "wind_value": 3,
                "wind_dir": 0,
                "rel_humidity": 45,
                "skies": 1,
                "precip_option": 0,
                "precip_time_pct": 0,
                "simulated_start_time": datetime.fromtimestamp(session.start, UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            },
        }

    def _team_name(self, first: Member) -> str:
        return f"{TEAM_WORDS[first.cust_id % len(TEAM_WORDS)]} Motorsport #{first.cust_id % 97}"

    def _driver_row(
        self,
        m: Member,
        car: tuple[int, str, str, int],
        pos: int,
        cpos: int,
        lap: float,
        laps: int,
        subsession_id: int,
        field: int,
        sof: int,
        team: bool,
    ) -> dict[str, Any]:
        state = mix_state(subsession_id, state=self.world.member_state(m.cust_id))  # this member in this race
        incidents = int(mix_from(state, 1) ** 2 * 12)
        expected = field / 2 - pos - 0.5 + (m.irating - sof) / 200
        delta = int(expected * 6) if field > 1 else 0
        sr_delta = int((4 - incidents) * 6)
        best = int(lap * 10_000)
        return {
            "cust_id": m.cust_id,
            "display_name": m.display_name,
            "finish_position": pos,  # 0-based, as results/get sends it
            "finish_position_in_class": cpos,
            "position": pos,
            "starting_position": int(mix_from(state, 2) * field),
            "starting_position_in_class": cpos,
            "laps_complete": laps,
            "laps_lead": laps if pos == 0 else 0,
            "incidents": incidents,
            "interval": 0 if pos == 0 else pos * 13_456,
            "class_interval": 0 if cpos == 0 else cpos * 13_456,
            "average_lap": int(best * 1.015),
            "best_lap_num": max(1, laps // 2),
            "best_lap_time": best,
            "best_nlaps_num": -1,
            "best_nlaps_time": -1,
            "best_qual_lap_at": "1970-01-01T00:00:00Z",
            "best_qual_lap_num": -1,
            "best_qual_lap_time": -1,
            "qual_lap_time": -1,
            "car_id": car[0],
            "car_name": car[1],
            "car_class_id": car[3],
            "car_class_name": CLASSES[car[3]][0],
            "car_class_short_name": CLASSES[car[3]][1],
            "carcfg": -1,
            "champ_points": max(0, 100 - pos * 4),
            "aggregate_champ_points": max(0, 100 - pos * 4),
            "drop_race": False,
            "division": m.irating % 10,
            "division_name": f"Division {m.irating % 10 + 1}",
            "league_points": 0,
            "league_agg_points": 0,
            "oldi_rating": m.irating,
            "newi_rating": max(1, m.irating + delta),
            "old_license_level": m.license_level,
            "new_license_level": m.license_level,
            "old_sub_level": m.sub_level,
            "new_sub_level": max(1, m.sub_level + sr_delta),
            "old_cpi": 50.0,
            "new_cpi": 50.0,
            "old_ttrating": 1350,
            "new_ttrating": 1350,
            "license_change_oval": -1,
            "license_change_road": -1,
            "reason_out": "Running",
            "reason_out_id": 0,
            "country_code": "US",
            "flair_id": 2,
            "flair_name": "Global",
            "flair_shortname": "GLO",
            "livery": {
                "car_id": car[0],
                "pattern": 1,
                "color1": "ffffff",
                "color2": "000000",
                "color3": "ff0000",
                "number_font": 0,
                "number_color1": "ffffff",
                "number_color2": "000000",
                "number_color3": "000000",
                "number_slant": 0,
                "sponsor1": 0,
                "sponsor2": 0,
                "car_number": str(m.cust_id % 100),
                "wheel_color": None,
                "rim_type": -1,
            },
            "helmet": helmet(m.cust_id),
            "suit": {"pattern": 1, "color1": "ffffff", "color2": "000000", "color3": "ff0000"},
            "ai": False,
            "friend": False,
            "watched": False,
            "max_pct_fuel_fill": -1,
            "weight_penalty_kg": 0,
            "opt_laps_complete": 0,
        }

    def search_row(self, result: dict[str, Any], cust_id: int | None) -> dict[str, Any]:
        """A ``results/search_series`` row for a subsession (with the driver's fields when searched by cust_id)."""
        row = self._search_base(result)
        if cust_id is not None:
            mine = self._driver_search_fields(result, cust_id)
            if mine is not None:
                row.update(zip(SEARCH_DRIVER_KEYS, mine, strict=True))
        return row

    # A driver's first search covers a week of their races, and thousands of drivers share those races: the rows
    # are kept per subsession, far smaller than the full results (which the cache above holds only for thousands).
    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def search_rows(self, subsession_id: int) -> tuple[dict[str, Any], dict[int, tuple[Any, ...]]] | None:
        """A subsession's search row without a driver, and each driver's own fields (``SEARCH_DRIVER_KEYS``)."""
        result = self.result(subsession_id)
        if result is None:
            return None
        race = _race(result)
        drivers: dict[int, tuple[Any, ...]] = {}
        for r in race:
            for d in r.get("driver_results") or [r]:
                if d.get("cust_id") is not None and d["cust_id"] not in drivers:
                    drivers[d["cust_id"]] = tuple(d[k] for k in _DRIVER_SOURCE_KEYS)
        return self._search_base(result), drivers

    def search_row_of(self, subsession_id: int, cust_id: int) -> dict[str, Any] | None:
        """``search_row(result(subsession_id), cust_id)`` from the cached rows (None: no such subsession)."""
        found = self.search_rows(subsession_id)
        if found is None:
            return None
        base, drivers = found
        row = dict(base)
        row["track"] = dict(base["track"])
        mine = drivers.get(cust_id)
        if mine is not None:
            row.update(zip(SEARCH_DRIVER_KEYS, mine, strict=True))
        return row

    @staticmethod
    def _search_base(result: dict[str, Any]) -> dict[str, Any]:
        race = _race(result)
        winner = race[0] if race else {}
        row = {k: result[k] for k in SEARCH_EVENT_KEYS}
        row.update(
            {
                "winner_group_id": winner.get("cust_id", winner.get("team_id")),
                "winner_name": winner.get("display_name"),
                "winner_ai": False,
                "track": {k: result["track"][k] for k in ("track_id", "track_name", "config_name")},
            }
        )
        return row

    @staticmethod
    def _driver_search_fields(result: dict[str, Any], cust_id: int) -> tuple[Any, ...] | None:
        """The driver's own fields of a search row, in ``SEARCH_DRIVER_KEYS`` order (None: not in the race)."""
        for r in _race(result):
            drivers = r.get("driver_results") or [r]
            mine = next((d for d in drivers if d.get("cust_id") == cust_id), None)
            if mine:
                return tuple(mine[k] for k in _DRIVER_SOURCE_KEYS)
        return None

    def recent_race(self, result: dict[str, Any], cust_id: int) -> dict[str, Any] | None:
        """A ``stats/member_recent_races`` entry: positions 1-based there."""
        race = next(s for s in result["session_results"] if s["simsession_number"] == 0)["results"]
        for r in race:
            drivers = r.get("driver_results") or [r]
            mine = next((d for d in drivers if d.get("cust_id") == cust_id), None)
            if mine is None:
                continue
            winner = race[0]
            return {
                "season_id": result["season_id"],
                "series_id": result["series_id"],
                "series_name": result["series_name"],
                "car_id": mine["car_id"],
                "car_class_id": mine["car_class_id"],
                "livery": mine["livery"],
                "license_level": mine["new_license_level"],
                "session_start_time": result["start_time"],
                "winner_group_id": winner.get("cust_id", winner.get("team_id")),
                "winner_name": winner["display_name"],
                "winner_helmet": helmet(abs(winner.get("cust_id", 1))),
                "winner_license_level": 18,
                "start_position": mine["starting_position"] + 1,
                "finish_position": mine["finish_position"] + 1,
                "qualifying_time": 0,
                "laps": mine["laps_complete"],
                "laps_led": mine["laps_lead"],
                "incidents": mine["incidents"],
                "points": mine["champ_points"],
                "strength_of_field": result["event_strength_of_field"],
                "subsession_id": result["subsession_id"],
                "old_sub_level": mine["old_sub_level"],
                "new_sub_level": mine["new_sub_level"],
                "oldi_rating": mine["oldi_rating"],
                "newi_rating": mine["newi_rating"],
                "track": {
                    "track_id": result["track"]["track_id"],
                    "track_name": result["track"]["track_name"],
                },
                "drop_race": False,
                "season_year": result["season_year"],
                "season_quarter": result["season_quarter"],
                "race_week_num": result["race_week_num"],
            }
        return None

    def laps(self, result: dict[str, Any], cust_id: int | None, team_id: int | None = None) -> list[dict[str, Any]]:
        """Lap rows of the main event: one row per car and lap (``group_id`` the team in team events, ``cust_id``
        whoever drove that lap, stints in turn), the running position moving from the grid to the finish, incident
        laps, and a pit stop in races of 20 laps or more."""
        race = next(s for s in result["session_results"] if s["simsession_number"] == 0)["results"]
        seed, sub = self.world.seed, result["subsession_id"]
        laps_total = max((r["laps_complete"] for r in race), default=0)
        cars = []
        car_state: dict[int, int] = {}  # group -> (seed, subsession, group) mixed: each lap's draw continues from it
        for r in race:
            drivers = r.get("driver_results") or [r]
            group = r["team_id"] if r.get("driver_results") else r["cust_id"]
            cars.append((r, drivers, group))
            car_state[group] = mix_state(seed, sub, group)
        positions: dict[tuple[int, int], int] = {}
        for n in range(laps_total + 1):
            share = n / max(1, laps_total)
            running = []
            for r, _drivers, group in cars:
                if n > r["laps_complete"]:
                    continue
                noise = 0.0 if n in (0, laps_total) else (mix_from(car_state[group], n) - 0.5) * 1.5
                start, finish = r["starting_position"], r["finish_position"]
                running.append((start + (finish - start) * share + noise, finish, group))
            for place, (_score, _finish, group) in enumerate(sorted(running), start=1):
                positions[(group, n)] = place
        laps = []
        driver_state: dict[int, int] = {}  # cust_id -> (seed, cust_id) mixed
        for r, drivers, group in cars:
            if team_id is not None and group != team_id:
                continue
            best, stint = r["best_lap_time"], max(1, -(-r["laps_complete"] // len(drivers)))
            incident_laps = {
                1 + int(mix_from(car_state[group], 9000 + k) * max(1, r["laps_complete"]))
                for k in range(min(r["incidents"] // 2, r["laps_complete"]))
            }
            pit_lap = r["laps_complete"] // 2 if r["laps_complete"] >= 20 else None
            clock = 0
            for n in range(r["laps_complete"] + 1):
                d = drivers[min(len(drivers) - 1, max(0, n - 1) // stint)]
                if cust_id is not None and d["cust_id"] != cust_id:
                    continue
                if n and d["cust_id"] not in driver_state:
                    driver_state[d["cust_id"]] = mix_state(seed, d["cust_id"])
                lap_time = -1 if n == 0 else best + int(mix_from(driver_state[d["cust_id"]], n) * 8000)
                events = ["pitted"] if n == pit_lap else []
                if n == pit_lap:
                    lap_time += 250_000  # the stop's time in the pit lane
                if n in incident_laps:
                    events.append("off track")
                clock += max(0, lap_time)
                laps.append(
                    {
                        "group_id": group,
                        "name": d["display_name"],
                        "cust_id": d["cust_id"],
                        "display_name": d["display_name"],
                        "lap_number": n,
                        "flags": 0,
                        "incident": n in incident_laps,
                        "session_time": clock,
                        "session_start_time": None,
                        "lap_time": lap_time,
                        "team_fastest_lap": False,
                        "personal_best_lap": False,
                        "helmet": d["helmet"] if "helmet" in d else helmet(d["cust_id"]),
                        "license_level": d["new_license_level"],
                        "car_number": r["livery"]["car_number"] if "livery" in r else d["livery"]["car_number"],
                        "lap_events": events,
                        "lap_position": positions.get((group, n)),
                        "interval": None,
                        "interval_units": None,
                        "fastest_lap": False,
                        "ai": False,
                    }
                )
        return laps


def _race(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The main event's result rows."""
    rows: list[dict[str, Any]] = next(s for s in result["session_results"] if s["simsession_number"] == 0)["results"]
    return rows


# A search row's event fields, taken from the result as they are.
SEARCH_EVENT_KEYS = (
    "session_id",
    "subsession_id",
    "start_time",
    "end_time",
    "license_category_id",
    "license_category",
    "num_drivers",
    "num_cautions",
    "num_caution_laps",
    "num_lead_changes",
    "event_average_lap",
    "event_best_lap_time",
    "event_laps_complete",
    "driver_changes",
    "official_session",
    "season_id",
    "season_year",
    "season_quarter",
    "event_type",
    "event_type_name",
    "series_id",
    "series_name",
    "series_short_name",
    "race_week_num",
    "event_strength_of_field",
)
# The searched driver's fields, from their result row (``laps_lead`` is called ``laps_led`` in a search row, and
# comes last there).
_DRIVER_SOURCE_KEYS = (
    "cust_id",
    "starting_position",
    "starting_position_in_class",
    "finish_position",
    "finish_position_in_class",
    "laps_complete",
    "incidents",
    "car_id",
    "car_name",
    "car_class_id",
    "car_class_name",
    "car_class_short_name",
    "champ_points",
    "drop_race",
    "laps_lead",
)
SEARCH_DRIVER_KEYS = (*_DRIVER_SOURCE_KEYS[:-1], "laps_led")


def _sof(iratings: list[int]) -> int:
    """Strength of field as iRacing's community formula computes it (an exponential mean of iRatings)."""
    if not iratings:
        return 0
    k = 1600 / math.log(2)
    return int(k * math.log(len(iratings) / sum(math.exp(-ir / k) for ir in iratings)))
