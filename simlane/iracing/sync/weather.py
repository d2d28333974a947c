"""Weather forecasts of race weeks: fetched only when missing or stale, stored raw with summary metrics.

Forecast values are scaled integers (air_temp 1/100 °C, precip_chance 1/100 %, wind_speed 1/100 m/s);
``ForecastPoint`` converts them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from simlane.iracing.client.models import ForecastPoint

from ..models import RaceWeek, WeatherForecast

STALE_AFTER = timedelta(hours=6)


def summarise(points: list[ForecastPoint]) -> dict[str, float | None]:
    temps = [p.air_temp_c for p in points if p.air_temp_c is not None]
    rain = [p.precip_chance_pct for p in points if p.precip_chance_pct is not None]
    wind = [p.wind_speed_ms for p in points if p.wind_speed_ms is not None]
    return {
        "air_temp_min_c": min(temps, default=None),
        "air_temp_max_c": max(temps, default=None),
        "precip_chance_max_pct": max(rain, default=None),
        "wind_max_ms": max(wind, default=None),
    }


def weeks_needing_forecast(*, now: datetime, horizon: timedelta = timedelta(days=14)) -> list[tuple[int, str]]:
    """(race week pk, url) for weeks not over, starting within ``horizon``, with no forecast or a stale one."""
    out = []
    weeks = RaceWeek.objects.filter(week_end_time__gte=now, start_date__lte=(now + horizon).date())
    fresh = set(
        WeatherForecast.objects.filter(fetched_at__gte=now - STALE_AFTER).values_list("race_week_id", flat=True)
    )
    for pk, weather in weeks.values_list("id", "weather"):
        url = (weather or {}).get("weather_url")
        if url and pk not in fresh:
            out.append((pk, url))
    return out


def forecast_save(*, race_week_id: int, url: str, fetched_at: datetime, points: list[ForecastPoint]) -> None:
    """Store (or replace) a race week's forecast with its summary metrics."""
    WeatherForecast.objects.update_or_create(
        race_week_id=race_week_id,
        defaults={
            "url": url,
            "fetched_at": fetched_at,
            "points": [p.model_dump(mode="json") for p in points],
            **summarise(points),
        },
    )
