"""The league service: ``league/get``, ``roster``, ``seasons``, ``season_sessions``, ``season_standings``."""

from __future__ import annotations

from typing import Any

from ..payloads import helmet
from ..world import LEAGUE_SUBSESSION_BASE, iso
from .base import DataError, Reply, Route, Routes, bool_param, int_param

PRIVATE_LEAGUE_ID = 7999


class LeagueRoutes(Routes):
    """The world's leagues; one of them private, as a league the account is not in."""

    def routes(self) -> dict[str, Route]:
        return {
            "league/get": self.league_get,
            "league/roster": self.league_roster,
            "league/seasons": self.league_seasons,
            "league/season_sessions": self.league_season_sessions,
            "league/season_standings": self.league_season_standings,
        }

    def _league(self, p: dict[str, str]) -> tuple[int, Any]:
        league_id = int_param(p, "league_id", required=True)
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
                "retired": bool_param(p, "retired"),
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
        for sub_id, start in self.ctx.leagues.sessions(index, now - 14 * 86400, now + 7 * 86400):
            result = self.ctx.leagues.result(sub_id, now)
            if bool_param(p, "results_only") and result is None:
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
                "car_class_id": int_param(p, "car_class_id") or -1,
                "car_id": int_param(p, "car_id") or -1,
                "standings": {
                    "driver_standings": standings,
                    "team_standings": [],
                    "driver_standings_csv_url": None,
                    "team_standings_csv_url": None,
                },
            },
        )
