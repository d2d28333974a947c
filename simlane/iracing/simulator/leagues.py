"""League races: the simulator's hosted sessions, one a day per league at its race hour, with generated results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .payloads import Payloads
from .world import EPOCH_2024, LEAGUE_SUBSESSION_BASE, Session, World, mix


class LeagueRaces:
    """Each league races daily at its race hour; about 70 % of its roster enter (fixed per day), 30 at most."""

    def __init__(self, world: World, payloads: Payloads) -> None:
        self.world = world
        self.payloads = payloads

    def sessions(self, league_index: int, begin: float, end: float) -> list[tuple[int, int]]:
        league = self.world.leagues[league_index]
        out = []
        day = int(begin // 86400) * 86400
        while day < end:
            start = day + league.race_hour * 3600
            if begin <= start < end:
                out.append((LEAGUE_SUBSESSION_BASE + league_index * 100_000 + (start - EPOCH_2024) // 86400, start))
            day += 86400
        return out

    def result(self, subsession_id: int, now: float) -> dict[str, Any] | None:
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
