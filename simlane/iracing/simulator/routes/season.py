"""The season service: ``season/list``, ``race_guide``, ``spectator_subsessionids``."""

from __future__ import annotations

from ..catalog import SERIES
from ..world import Session, iso
from .base import Reply, Route, Routes, bool_param, int_param, ints_param, time_param

REGISTRATION_SECONDS = 3600.0


class SeasonRoutes(Routes):
    """The seasons of a quarter and the sessions about to start or running now."""

    def routes(self) -> dict[str, Route]:
        return {
            "season/list": self.season_list,
            "season/race_guide": self.race_guide,
            "season/spectator_subsessionids": self.spectator_ids,
        }

    def season_list(self, p: dict[str, str], now: float) -> Reply:
        year, quarter = int_param(p, "season_year", True), int_param(p, "season_quarter", True)
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
        begin = max(time_param(p, "from") or now, now)  # "Times in the past will be rewritten to the current time."
        include_running = bool_param(p, "include_end_after_from")
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
                        "entry_count": self._registered(session, now),
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

    def _registered(self, session: Session, now: float) -> int:
        """Entrants registered so far: registration fills over the hour before the start (an assumption), so a
        session seen early looks smaller than it races; from the start on, the count is final."""
        final = self.world.entries(session)
        if session.start <= now:
            return final
        return int(final * max(0.0, 1.0 - (session.start - now) / REGISTRATION_SECONDS))

    def spectator_ids(self, p: dict[str, str], now: float) -> Reply:
        ids: list[int] = []
        for index, s in enumerate(SERIES):
            for session in self.world.sessions_between(index, now - s.session_minutes * 60, now):
                if session.end > now:
                    ids.extend(session.subsession_id(i) for i in range(len(self.world.splits(session))))
        return Reply(
            "link", {"success": True, "event_types": ints_param(p, "event_types") or [5], "subsession_ids": ids}
        )
