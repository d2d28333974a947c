"""The results service: searches, ``results/get`` and its laps and event log, season results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..catalog import SERIES
from ..payloads import helmet
from ..world import SUBSESSION_BASE
from .base import DataError, Reply, Route, Routes, int_param, ints_param, time_param

NINETY_DAYS = 90 * 86400


class ResultsRoutes(Routes):
    """Finished sessions of the world's series and of the leagues' hosted races."""

    def routes(self) -> dict[str, Route]:
        return {
            "results/search_series": self.search_series,
            "results/search_hosted": self.search_hosted,
            "results/get": self.results_get,
            "results/lap_data": self.lap_data,
            "results/lap_chart_data": self.lap_chart_data,
            "results/event_log": self.event_log,
            "results/season_results": self.season_results,
        }

    def _window(self, p: dict[str, str], now: float) -> tuple[float, float, str]:
        fb, fe = time_param(p, "finish_range_begin"), time_param(p, "finish_range_end")
        sb, se = time_param(p, "start_range_begin"), time_param(p, "start_range_end")
        year, quarter = int_param(p, "season_year"), int_param(p, "season_quarter")
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
        event_types = ints_param(p, "event_types")
        if event_types is not None and 5 not in event_types:
            return Reply("search", [], "search_series_results")
        series_id = int_param(p, "series_id")
        cust_id = int_param(p, "cust_id")
        rows: list[dict[str, Any]] = []
        if cust_id is not None:
            races = (
                self.ctx.finished_races(cust_id, begin, end, now)
                if by == "finish"
                else [
                    (session, sub)
                    for session, sub in self.ctx.finished_races(cust_id, begin, end + 86400, now)
                    if begin <= session.start < end
                ]
            )
            for _, sub in races:
                row = self.payloads.search_row_of(sub, cust_id)
                if row is not None:
                    rows.append(row)
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

    def search_hosted(self, p: dict[str, str], now: float) -> Reply:
        begin, end, by = self._window(p, now)
        cust_id, league_id = int_param(p, "cust_id"), int_param(p, "league_id")
        if cust_id is None and league_id is None and not p.get("host_cust_id") and not p.get("session_name"):
            raise DataError(400, "Bad Request")
        rows = []
        for index, league in enumerate(self.world.leagues):
            if league_id is not None and league.league_id != league_id:
                continue
            for sub_id, _start in self.ctx.leagues.sessions(index, begin - 2 * 3600, min(end, now)):
                result = self.ctx.leagues.result(sub_id, now)
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
        sub_id = int_param(p, "subsession_id", required=True)
        assert sub_id is not None
        result = self.ctx.leagues.result(sub_id, now) if sub_id < SUBSESSION_BASE else self.payloads.result(sub_id)
        if result is None or datetime.fromisoformat(result["end_time"]).timestamp() > now:
            raise DataError(404, "Not Found")
        return result

    def results_get(self, p: dict[str, str], now: float) -> Reply:
        return Reply("link", self._result_or_404(p, now))

    def lap_data(self, p: dict[str, str], now: float) -> Reply:
        result = self._result_or_404(p, now)
        int_param(p, "simsession_number", required=True)
        cust_id, team_id = int_param(p, "cust_id"), int_param(p, "team_id")
        if cust_id is None and team_id is None:
            raise DataError(400, "Bad Request")
        laps = self.payloads.laps(result, cust_id, team_id)
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

    def season_results(self, p: dict[str, str], now: float) -> Reply:
        season_id, (index, year, quarter) = self.ctx.season_param(p)
        week = int_param(p, "race_week_num")
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
                "event_type": int_param(p, "event_type"),
                "race_week_num": week,
                "results_list": items,
            },
        )
