"""The /data endpoints of the simulator: parameters in, (shape, payload) out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .catalog import SERIES
from .payloads import Payloads, helmet
from .world import EPOCH_2024, LEAGUE_SUBSESSION_BASE, SUBSESSION_BASE, Session, World, iso, mix

NINETY_DAYS = 90 * 86400


class DataError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@dataclass
class Reply:
    """``shape``: link | direct | search | chunked_link | data_url."""

    shape: str
    payload: Any
    kind: str = ""  # the "type" of search/data_url replies


def _int(params: dict[str, str], name: str, required: bool = False) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise DataError(400, "Bad Request")
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DataError(400, "Bad Request") from exc


def _ints(params: dict[str, str], name: str) -> list[int] | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return [int(v) for v in value.split(",") if v]
    except ValueError as exc:
        raise DataError(400, "Bad Request") from exc


def _time(params: dict[str, str], name: str) -> float | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise DataError(400, "Bad Request") from exc


def _bool(params: dict[str, str], name: str) -> bool:
    return params.get(name, "false").lower() == "true"


PRIVATE_LEAGUE_ID = 7999


class DataService:
    """Answers /data/<service>/<method> from the world, as of the simulator clock's ``now``."""

    def __init__(self, world: World, owner_cust_id: int, *, result_delay: float = 0.0) -> None:
        self.world = world
        self.result_delay = result_delay
        self.payloads = Payloads(world)
        self.owner_cust_id = owner_cust_id
        self.routes: dict[str, Callable[[dict[str, str], float], Reply]] = {
            "lookup/drivers": self.lookup_drivers,
            "member/get": self.member_get,
            "member/info": self.member_info,
            "member/profile": self.member_profile,
            "stats/member_recent_races": self.recent_races,
            "results/search_series": self.search_series,
            "results/search_hosted": self.search_hosted,
            "results/get": self.results_get,
            "results/lap_data": self.lap_data,
            "results/lap_chart_data": self.lap_chart_data,
            "results/event_log": self.event_log,
            "results/season_results": self.season_results,
            "league/get": self.league_get,
            "league/roster": self.league_roster,
            "league/seasons": self.league_seasons,
            "league/season_sessions": self.league_season_sessions,
            "league/season_standings": self.league_season_standings,
            "car/get": lambda p, now: Reply("link", self.payloads.cars()),
            "carclass/get": lambda p, now: Reply("link", self.payloads.car_classes()),
            "track/get": lambda p, now: Reply("link", self.payloads.tracks()),
            "series/get": lambda p, now: Reply("link", self.payloads.series()),
            "series/seasons": self.series_seasons,
            "series/past_seasons": self.past_seasons,
            "series/season_schedule": self.season_schedule,
            "season/list": self.season_list,
            "season/race_guide": self.race_guide,
            "season/spectator_subsessionids": self.spectator_ids,
            "constants/categories": lambda p, now: Reply(
                "direct",
                [
                    {"label": label, "value": i + 1}
                    for i, label in enumerate(["Oval", "Road", "Dirt Oval", "Dirt Road", "Sports Car", "Formula Car"])
                ],
            ),
            "constants/divisions": lambda p, now: Reply(
                "direct",
                [
                    {"label": "ALL", "value": -1},
                    *({"label": f"Division {i + 1}", "value": i} for i in range(10)),
                    {"label": "Rookie", "value": 10},
                ],
            ),
            "constants/event_types": lambda p, now: Reply(
                "direct",
                [
                    {"label": label, "value": v}
                    for label, v in (("Practice", 2), ("Qualify", 3), ("Time Trial", 4), ("Race", 5))
                ],
            ),
        }

    def handle(self, endpoint: str, params: dict[str, str], now: float) -> Reply:
        route = self.routes.get(endpoint)
        if route is None:
            raise DataError(404, "Not Found")
        if endpoint.startswith("results/") or endpoint == "stats/member_recent_races":
            now -= self.result_delay  # results are published a little after the chequered flag
        return route(params, now)

    # -- members ---------------------------------------------------------------------------------------------------

    def _member_json(self, cust_id: int) -> dict[str, Any]:
        m = self.world.by_id[cust_id]
        return {
            "cust_id": m.cust_id,
            "display_name": m.display_name,
            "helmet": helmet(m.cust_id),
            "last_login": "2026-01-01T12:00:00.123456789Z",
            "member_since": "2020-01-01",
            "flair_id": 2,
            "flair_name": "Global",
            "flair_shortname": "GLO",
            "ai": False,
        }

    def lookup_drivers(self, p: dict[str, str], now: float) -> Reply:
        term = p.get("search_term")
        if not term:
            raise DataError(400, "Bad Request")
        found = self.world.lookup(term, _int(p, "league_id"))
        return Reply(
            "link",
            [
                {
                    "cust_id": m.cust_id,
                    "display_name": m.display_name,
                    "helmet": helmet(m.cust_id),
                    "profile_disabled": False,
                }
                for m in found
            ],
        )

    def member_get(self, p: dict[str, str], now: float) -> Reply:
        ids = _ints(p, "cust_ids")
        if not ids:
            raise DataError(400, "Bad Request")
        members = [self._member_json(i) for i in ids if i in self.world.by_id]
        return Reply("link", {"success": True, "cust_ids": ids, "members": members})

    def member_info(self, p: dict[str, str], now: float) -> Reply:
        m = self.world.by_id[self.owner_cust_id]
        first, _, last = m.display_name.partition(" ")
        return Reply(
            "link",
            {
                **self._member_json(m.cust_id),
                "first_name": first,
                "last_name": last,
                "licenses": {
                    "sports_car": {
                        "category_id": 5,
                        "category": "sports_car",
                        "license_level": m.license_level,
                        "safety_rating": m.sub_level / 100,
                        "irating": m.irating,
                    }
                },
                "account": {"ir_credits": 0, "ir_dollars": 0, "status": "active"},
            },
        )

    def member_profile(self, p: dict[str, str], now: float) -> Reply:
        cust_id = _int(p, "cust_id") or self.owner_cust_id
        if cust_id not in self.world.by_id:
            raise DataError(404, "Not Found")
        return Reply(
            "link",
            {
                "cust_id": cust_id,
                "success": True,
                "disabled": False,
                "member_info": self._member_json(cust_id),
                "activity": None,
                "recent_events": [],
                "license_history": [],
                "recent_awards": [],
                "follow_counts": {"followers": 0, "follows": 0},
            },
        )

    def _finished_results(self, cust_id: int, begin: float, end: float, now: float) -> list[dict[str, Any]]:
        m = self.world.by_id.get(cust_id)
        if m is None:
            return []
        end = min(end, now)
        longest = SERIES[m.series_index].session_minutes * 60
        out = []
        for session in self.world.member_sessions(m, begin - longest, end):
            if begin <= session.end <= end:
                split = self.world.split_of(m, session)
                if split is not None:
                    result = self.payloads.result(session.subsession_id(split))
                    if result:
                        out.append(result)
        return out

    def recent_races(self, p: dict[str, str], now: float) -> Reply:
        cust_id = _int(p, "cust_id") or self.owner_cust_id
        races: list[dict[str, Any]] = []
        end = now
        # Walk back a week at a time until 10 races are found (or 16 weeks, for the dormant).
        for _ in range(16):
            chunk = self._finished_results(cust_id, end - 7 * 86400, end, now)
            for result in reversed(chunk):
                row = self.payloads.recent_race(result, cust_id)
                if row:
                    races.append(row)
            end -= 7 * 86400
            if len(races) >= 10:
                break
        return Reply("link", {"cust_id": cust_id, "races": races[:10]})

    # -- results ---------------------------------------------------------------------------------------------------

    def _window(self, p: dict[str, str], now: float) -> tuple[float, float, str]:
        fb, fe = _time(p, "finish_range_begin"), _time(p, "finish_range_end")
        sb, se = _time(p, "start_range_begin"), _time(p, "start_range_end")
        year, quarter = _int(p, "season_year"), _int(p, "season_quarter")
        if fb is not None:
            begin, end, by = fb, fe if fe is not None else now, "finish"
        elif sb is not None:
            begin, end, by = sb, se if se is not None else now, "start"
        elif year and quarter:
            begin = self.world.season_start(year, quarter)
            begin, end, by = begin, begin + 13 * 7 * 86400, "start"
        else:
            raise DataError(400, "Bad Request")
        if end - begin > NINETY_DAYS:
            raise DataError(400, "Bad Request")
        return begin, end, by

    def search_series(self, p: dict[str, str], now: float) -> Reply:
        begin, end, by = self._window(p, now)
        event_types = _ints(p, "event_types")
        if event_types is not None and 5 not in event_types:
            return Reply("search", [], "search_series_results")
        series_id = _int(p, "series_id")
        cust_id = _int(p, "cust_id")
        rows: list[dict[str, Any]] = []
        if cust_id is not None:
            results = (
                self._finished_results(cust_id, begin, end, now)
                if by == "finish"
                else [
                    r
                    for r in self._finished_results(cust_id, begin, end + 86400, now)
                    if begin <= datetime.fromisoformat(r["start_time"]).timestamp() < end
                ]
            )
            rows = [self.payloads.search_row(r, cust_id) for r in results]
        else:
            for index, s in enumerate(SERIES):
                if series_id is not None and s.series_id != series_id:
                    continue
                for session in self.world.sessions_between(index, begin - s.session_minutes * 60, min(end, now)):
                    key = session.end if by == "finish" else session.start
                    if not (begin <= key < end) or session.end > now:
                        continue
                    for split in range(len(self.world.splits(session))):
                        result = self.payloads.result(session.subsession_id(split))
                        if result:
                            rows.append(self.payloads.search_row(result, None))
        if series_id is not None:
            rows = [r for r in rows if r["series_id"] == series_id]
        rows.sort(key=lambda r: r["subsession_id"])
        return Reply("search", rows, "search_series_results")

    # League sessions are the simulator's hosted sessions: one a day per league at its race hour.

    def league_sessions(self, league_index: int, begin: float, end: float) -> list[tuple[int, int]]:
        league = self.world.leagues[league_index]
        out = []
        day = int(begin // 86400) * 86400
        while day < end:
            start = day + league.race_hour * 3600
            if begin <= start < end:
                out.append((LEAGUE_SUBSESSION_BASE + league_index * 100_000 + (start - EPOCH_2024) // 86400, start))
            day += 86400
        return out

    def league_result(self, subsession_id: int, now: float) -> dict[str, Any] | None:
        x = subsession_id - LEAGUE_SUBSESSION_BASE
        league_index, day = divmod(x, 100_000)
        if x < 0 or league_index >= len(self.world.leagues):
            return None
        league = self.world.leagues[league_index]
        start = EPOCH_2024 + day * 86400 + league.race_hour * 3600
        entrants = tuple(
            sorted(
                (self.world.by_id[c] for c, _ in league.roster if mix(self.world.seed, c, day) < 0.7),
                key=lambda m: -m.irating,
            )
        )[:30]
        if not entrants:
            return None
        session = Session(1, start)  # GT3-length race
        result = self.payloads.build_result(session, 0, entrants)
        if datetime.fromisoformat(result["end_time"]).timestamp() > now:
            return None
        result.update(
            {
                "subsession_id": subsession_id,
                "session_id": 400_000_000 + x,
                "associated_subsession_ids": [subsession_id],
                "session_splits": [],
                "official_session": False,
                "private_session_id": 4_000_000 + x,
                "host_id": league.owner_id,
                "league_id": league.league_id,
                "league_name": league.name,
                "league_season_id": league.season_id,
                "league_season_name": f"{league.name} Season",
                "session_name": f"{league.name} Race",
                "series_id": 0,
                "series_name": "Hosted iRacing",
                "season_id": 0,
                "event_strength_of_field": result["event_strength_of_field"],
            }
        )
        return result

    def search_hosted(self, p: dict[str, str], now: float) -> Reply:
        begin, end, by = self._window(p, now)
        cust_id, league_id = _int(p, "cust_id"), _int(p, "league_id")
        if cust_id is None and league_id is None and not p.get("host_cust_id") and not p.get("session_name"):
            raise DataError(400, "Bad Request")
        rows = []
        for index, league in enumerate(self.world.leagues):
            if league_id is not None and league.league_id != league_id:
                continue
            for sub_id, _start in self.league_sessions(index, begin - 2 * 3600, min(end, now)):
                result = self.league_result(sub_id, now)
                if result is None:
                    continue
                key = datetime.fromisoformat(result["end_time" if by == "finish" else "start_time"]).timestamp()
                if not begin <= key < end:
                    continue
                row = self.payloads.search_row(result, cust_id)
                if cust_id is not None and row.get("cust_id") != cust_id:
                    continue
                row.update(
                    {k: result[k] for k in ("league_id", "league_season_id", "session_name", "private_session_id")}
                )
                row["host"] = {"cust_id": league.owner_id, "display_name": "host", "helmet": helmet(1)}
                rows.append(row)
        return Reply("search", rows, "search_hosted_results")

    def _result_or_404(self, p: dict[str, str], now: float) -> dict[str, Any]:
        sub_id = _int(p, "subsession_id", required=True)
        assert sub_id is not None
        result = self.league_result(sub_id, now) if sub_id < SUBSESSION_BASE else self.payloads.result(sub_id)
        if result is None or datetime.fromisoformat(result["end_time"]).timestamp() > now:
            raise DataError(404, "Not Found")
        return result

    def results_get(self, p: dict[str, str], now: float) -> Reply:
        return Reply("link", self._result_or_404(p, now))

    def lap_data(self, p: dict[str, str], now: float) -> Reply:
        result = self._result_or_404(p, now)
        _int(p, "simsession_number", required=True)
        cust_id = _int(p, "cust_id")
        if cust_id is None and _int(p, "team_id") is None:
            raise DataError(400, "Bad Request")
        laps = self.payloads.laps(result, cust_id)
        header = {
            "success": True,
            "session_info": {"subsession_id": result["subsession_id"]},
            "best_lap_num": 1,
            "best_lap_time": min((lap["lap_time"] for lap in laps if lap["lap_time"] > 0), default=-1),
            "cust_id": cust_id,
        }
        return Reply("chunked_link", {"header": header, "rows": laps})

    def lap_chart_data(self, p: dict[str, str], now: float) -> Reply:
        result = self._result_or_404(p, now)
        laps = self.payloads.laps(result, None)
        return Reply("chunked_link", {"header": {"success": True}, "rows": laps})

    def event_log(self, p: dict[str, str], now: float) -> Reply:
        result = self._result_or_404(p, now)
        rows = [
            {
                "subsession_id": result["subsession_id"],
                "simsession_number": 0,
                "session_time": 0,
                "event_seq": 1,
                "event_code": 1,
                "group_id": 0,
                "cust_id": 0,
                "display_name": "",
                "lap_number": 0,
                "description": "Race start",
                "message": "Green flag",
            }
        ]
        return Reply("chunked_link", {"header": {"success": True}, "rows": rows})

    def _season(self, p: dict[str, str]) -> tuple[int, tuple[int, int, int]]:
        """The required ``season_id`` parameter and its (series index, year, quarter), or a 404."""
        season_id = _int(p, "season_id", required=True)
        assert season_id is not None
        decoded = self.world.decode_season(season_id)
        if decoded is None:
            raise DataError(404, "Not Found")
        return season_id, decoded

    def season_results(self, p: dict[str, str], now: float) -> Reply:
        season_id, (index, year, quarter) = self._season(p)
        week = _int(p, "race_week_num")
        start = self.world.season_start(year, quarter)
        begin = start + (week or 0) * 7 * 86400
        end = min(now, begin + 7 * 86400 if week is not None else start + 13 * 7 * 86400)
        items = []
        for session in self.world.sessions_between(index, begin, end):
            if session.end > now:
                continue
            for split in range(len(self.world.splits(session))):
                r = self.payloads.result(session.subsession_id(split))
                if r:
                    items.append(
                        {
                            k: r[k]
                            for k in (
                                "session_id",
                                "subsession_id",
                                "race_week_num",
                                "start_time",
                                "event_type",
                                "event_type_name",
                                "event_strength_of_field",
                                "num_drivers",
                                "official_session",
                                "track",
                            )
                        }
                    )
        return Reply(
            "link",
            {
                "success": True,
                "season_id": season_id,
                "event_type": _int(p, "event_type"),
                "race_week_num": week,
                "results_list": items,
            },
        )

    # -- leagues ---------------------------------------------------------------------------------------------------

    def _league(self, p: dict[str, str]) -> tuple[int, Any]:
        league_id = _int(p, "league_id", required=True)
        if league_id == PRIVATE_LEAGUE_ID:
            raise DataError(403, "Forbidden")  # a private league the account is not a member of
        for i, league in enumerate(self.world.leagues):
            if league.league_id == league_id:
                return i, league
        raise DataError(404, "Not Found")

    def _roster(self, league: Any) -> list[dict[str, Any]]:
        return [
            {
                "cust_id": c,
                "display_name": self.world.by_id[c].display_name,
                "helmet": helmet(c),
                "owner": c == league.owner_id,
                "admin": c == league.owner_id,
                "league_mail_opt_out": False,
                "league_pm_opt_out": False,
                "league_member_since": "2025-11-27T19:53:21Z",
                "car_number": number,
                "nick_name": None,
            }
            for c, number in league.roster
        ]

    def league_get(self, p: dict[str, str], now: float) -> Reply:
        _, league = self._league(p)
        return Reply(
            "link",
            {
                "league_id": league.league_id,
                "league_name": league.name,
                "owner_id": league.owner_id,
                "created": "2025-01-01T00:00:00Z",
                "hidden": False,
                "about": "",
                "recruiting": True,
                "private_wall": False,
                "private_roster": False,
                "private_schedule": False,
                "private_results": False,
                "is_owner": False,
                "is_admin": True,
                "is_member": True,
                "roster_count": len(league.roster),
                "roster": self._roster(league),
            },
        )

    def league_roster(self, p: dict[str, str], now: float) -> Reply:
        _, league = self._league(p)
        return Reply("data_url", {"private_roster": False, "roster": self._roster(league)}, "league_roster")

    def league_seasons(self, p: dict[str, str], now: float) -> Reply:
        _, league = self._league(p)
        return Reply(
            "link",
            {
                "success": True,
                "subscribed": True,
                "league_id": league.league_id,
                "retired": _bool(p, "retired"),
                "seasons": [
                    {
                        "league_id": league.league_id,
                        "season_id": league.season_id,
                        "season_name": f"{league.name} Season",
                        "active": True,
                        "hidden": False,
                        "points_system_id": 1,
                        "points_system_name": "Default",
                    }
                ],
            },
        )

    def league_season_sessions(self, p: dict[str, str], now: float) -> Reply:
        index, league = self._league(p)
        sessions = []
        for sub_id, start in self.league_sessions(index, now - 14 * 86400, now + 7 * 86400):
            result = self.league_result(sub_id, now)
            if _bool(p, "results_only") and result is None:
                continue
            sessions.append(
                {
                    "launch_at": iso(start),
                    "has_results": result is not None,
                    "status": 4 if result else 0,
                    "subsession_id": sub_id if result else None,
                    "session_id": result["session_id"] if result else None,
                    "private_session_id": 4_000_000 + sub_id - LEAGUE_SUBSESSION_BASE,
                    "winner_id": None,
                    "winner_name": None,
                    "league_id": league.league_id,
                    "league_season_id": league.season_id,
                    "track": {"track_id": 3, "track_name": "Circuit de Spa-Francorchamps"},
                    "cars": [],
                    "race_laps": 0,
                    "race_length": 45,
                }
            )
        return Reply(
            "link",
            {
                "success": True,
                "subscribed": True,
                "league_id": league.league_id,
                "season_id": league.season_id,
                "sessions": sessions,
            },
        )

    def league_season_standings(self, p: dict[str, str], now: float) -> Reply:
        _, league = self._league(p)
        standings = [
            {
                "rownum": i + 1,
                "position": i + 1,
                "driver": {
                    "cust_id": c,
                    "display_name": self.world.by_id[c].display_name,
                    "helmet": helmet(c),
                },
                "car_number": number,
                "driver_nickname": None,
                "wins": 0,
                "total_points": 100 - i,
            }
            for i, (c, number) in enumerate(league.roster)
        ]
        return Reply(
            "link",
            {
                "success": True,
                "league_id": league.league_id,
                "season_id": league.season_id,
                "car_class_id": _int(p, "car_class_id") or -1,
                "car_id": _int(p, "car_id") or -1,
                "standings": {
                    "driver_standings": standings,
                    "team_standings": [],
                    "driver_standings_csv_url": None,
                    "team_standings_csv_url": None,
                },
            },
        )

    # -- seasons ---------------------------------------------------------------------------------------------------

    def series_seasons(self, p: dict[str, str], now: float) -> Reply:
        year, quarter = _int(p, "season_year"), _int(p, "season_quarter")
        quarters = [(year, quarter)] if year and quarter else [self.world.quarter_of(now)]
        seasons = []
        for y, q in quarters:
            for i in range(len(SERIES)):
                seasons.append({**self.payloads.season(i, y, q, now), "schedules": self.payloads.schedule(i, y, q)})
        return Reply("link", seasons)

    def past_seasons(self, p: dict[str, str], now: float) -> Reply:
        series_id = _int(p, "series_id", required=True)
        index = next((i for i, s in enumerate(SERIES) if s.series_id == series_id), None)
        if index is None:
            raise DataError(404, "Not Found")
        y, q = self.world.quarter_of(now)
        seasons = []
        for _ in range(4):
            seasons.append(self.payloads.season(index, y, q, now))
            y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        s = SERIES[index]
        return Reply(
            "link",
            {
                "success": True,
                "series_id": series_id,
                "series": {"series_id": series_id, "series_name": s.name, "seasons": seasons},
            },
        )

    def season_schedule(self, p: dict[str, str], now: float) -> Reply:
        season_id, decoded = self._season(p)
        return Reply("link", {"success": True, "season_id": season_id, "schedules": self.payloads.schedule(*decoded)})

    def season_list(self, p: dict[str, str], now: float) -> Reply:
        year, quarter = _int(p, "season_year", True), _int(p, "season_quarter", True)
        assert year and quarter
        return Reply(
            "link",
            {
                "season_year": year,
                "season_quarter": quarter,
                "seasons": [
                    {**self.payloads.season(i, year, quarter, now), "series_name": s.name} for i, s in enumerate(SERIES)
                ],
            },
        )

    def race_guide(self, p: dict[str, str], now: float) -> Reply:
        begin = max(_time(p, "from") or now, now)  # "Times in the past will be rewritten to the current time."
        include_running = _bool(p, "include_end_after_from")
        sessions = []
        for index, s in enumerate(SERIES):
            lookback = s.session_minutes * 60 if include_running else 0
            for session in self.world.sessions_between(index, begin - lookback, begin + 3 * 3600):
                if session.start < begin and session.end <= begin:
                    continue
                season_id, week, _, _ = self.world.race_week(index, session.start)
                sessions.append(
                    {
                        "season_id": season_id,
                        "series_id": s.series_id,
                        "race_week_num": week,
                        "start_time": iso(session.start),
                        "end_time": iso(session.end),
                        "session_id": session.session_id if session.start <= now else None,
                        "entry_count": sum(len(x) for x in self.world.splits(session)),
                        "super_session": False,
                    }
                )
        sessions.sort(key=lambda x: str(x["start_time"]))
        return Reply(
            "link",
            {
                "success": True,
                "subscribed": True,
                "block_begin_time": iso(begin),
                "block_end_time": iso(begin + 3 * 3600),
                "sessions": sessions,
            },
        )

    def spectator_ids(self, p: dict[str, str], now: float) -> Reply:
        ids: list[int] = []
        for index, s in enumerate(SERIES):
            for session in self.world.sessions_between(index, now - s.session_minutes * 60, now):
                if session.end > now:
                    ids.extend(session.subsession_id(i) for i in range(len(self.world.splits(session))))
        return Reply("link", {"success": True, "event_types": _ints(p, "event_types") or [5], "subsession_ids": ids})
