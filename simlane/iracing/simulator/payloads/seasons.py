"""Season payloads (``series/seasons``, schedules) and the weather forecast behind a race week's ``weather_url``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..catalog import CARS, SERIES
from ..world import iso, mix
from .common import PayloadBase, track_ref


class SeasonPayloads(PayloadBase):
    """Seasons of the world's series, 12 race weeks each."""

    def schedule(self, series_index: int, year: int, quarter: int) -> list[dict[str, Any]]:
        s = SERIES[series_index]
        start = self.world.season_start(year, quarter)
        season_id = self.world.season_id(series_index, year, quarter)
        weeks = []
        for week in range(12):
            week_start = start + week * 7 * 86400
            track_id = s.tracks[week % len(s.tracks)]
            first = datetime.fromtimestamp(s.first_minute * 60, UTC).strftime("%H:%M:%S")
            weeks.append(
                {
                    "season_id": season_id,
                    "race_week_num": week,
                    "season_name": f"{s.name} - {year} Season {quarter}",
                    "series_id": s.series_id,
                    "series_name": s.name,
                    "start_date": iso(week_start)[:10],
                    "week_end_time": iso(week_start + 7 * 86400 - 60),
                    "schedule_name": s.short_name,
                    "track": track_ref(track_id),
                    "race_time_descriptors": [
                        {
                            "repeating": True,
                            "first_session_time": first,
                            "repeat_minutes": s.repeat_minutes,
                            "session_minutes": s.session_minutes,
                            "day_offset": [0, 1, 2, 3, 4, 5, 6],
                            "start_date": iso(week_start)[:10],
                            "super_session": False,
                        }
                    ],
                    "race_lap_limit": None,
                    "race_time_limit": s.session_minutes,
                    "car_restrictions": [
                        {
                            "car_id": c[0],
                            "max_dry_tire_sets": 0,
                            "max_pct_fuel_fill": 100,
                            "power_adjust_pct": 0,
                            "weight_penalty_kg": 5 * (i % 3),
                        }
                        for i, c in enumerate(CARS)
                        if c[3] in s.class_ids
                    ],
                    "weather": {
                        "temp_units": 1,
                        "temp_value": 20 + week % 5,
                        "wind_units": 1,
                        "wind_value": 3,
                        "weather_summary": {
                            "temp_high": 24.0,
                            "temp_low": 16.0,
                            "temp_units": 1,
                            "precip_chance": 10 * (week % 4),
                            "wind_high": 5.0,
                            "wind_low": 2.0,
                            "wind_units": 1,
                        },
                        "weather_url": f"{self.base_url}/_weather/{season_id}/{week}.json",
                    },
                }
            )
        return weeks

    def season(self, series_index: int, year: int, quarter: int, now: float) -> dict[str, Any]:
        s = SERIES[series_index]
        start = self.world.season_start(year, quarter)
        return {
            "season_id": self.world.season_id(series_index, year, quarter),
            "series_id": s.series_id,
            "season_name": f"{s.name} - {year} Season {quarter}",
            "season_short_name": f"{year} S{quarter}",
            "season_year": year,
            "season_quarter": quarter,
            "active": start <= now < start + 13 * 7 * 86400,
            "complete": now >= start + 13 * 7 * 86400,
            "official": s.official,
            "car_class_ids": list(s.class_ids),
            "multiclass": len(s.class_ids) > 1,
            "driver_changes": s.team,
            "max_weeks": 12,
            "start_date": iso(start)[:10],
        }

    def forecast(self, season_id: int, week: int) -> list[dict[str, Any]]:
        seed = self.world.seed
        points = []
        for i in range(12):
            rain = int(mix(seed, season_id, week, i) * 6000) if week % 4 else 0
            points.append(
                {
                    "time_offset": -60 + i * 30,
                    "timestamp": f"2026-01-01T{12 + i // 2:02d}:{30 * (i % 2):02d}:00",
                    "index": i,
                    "is_sun_up": True,
                    "affects_session": 2 <= i <= 6,
                    "air_temp": 1600 + i * 55,
                    "raw_air_temp": 1500 + i * 50,
                    "pressure": 10_132,
                    "rel_humidity": 5500,
                    "cloud_cover": 400,
                    "precip_chance": rain,
                    "precip_amount": rain // 500,
                    "allow_precip": True,
                    "wind_dir": 220,
                    "wind_speed": 350 + i * 10,
                    "valid_stats": True,
                }
            )
        return points
