"""The series service: ``series/get``, ``seasons``, ``past_seasons``, ``season_schedule``."""

from __future__ import annotations

from ..catalog import SERIES
from .base import DataError, Reply, Route, Routes, int_param


class SeriesRoutes(Routes):
    """Series and their seasons with schedules."""

    def routes(self) -> dict[str, Route]:
        return {
            "series/get": lambda p, now: Reply("link", self.payloads.series()),
            "series/seasons": self.series_seasons,
            "series/past_seasons": self.past_seasons,
            "series/season_schedule": self.season_schedule,
        }

    def series_seasons(self, p: dict[str, str], now: float) -> Reply:
        year, quarter = int_param(p, "season_year"), int_param(p, "season_quarter")
        quarters = [(year, quarter)] if year and quarter else [self.world.quarter_of(now)]
        seasons = []
        for y, q in quarters:
            for i in range(len(SERIES)):
                seasons.append({**self.payloads.season(i, y, q, now), "schedules": self.payloads.schedule(i, y, q)})
        return Reply("link", seasons)

    def past_seasons(self, p: dict[str, str], now: float) -> Reply:
        series_id = int_param(p, "series_id", required=True)
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
        season_id, decoded = self.ctx.season_param(p)
        return Reply("link", {"success": True, "season_id": season_id, "schedules": self.payloads.schedule(*decoded)})
