"""Weather forecasts of race weeks: fetched only when missing or stale, stored raw with summary metrics.

Forecast values are scaled integers (air_temp 1/100 °C, precip_chance 1/100 %, wind_speed 1/100 m/s);
``ForecastPoint`` converts them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asgiref.sync import sync_to_async

from simlane.iracing.client import IRacingClient, IRacingError
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


async def refresh_forecasts(client: IRacingClient, *, now: datetime) -> tuple[int, int]:
    """(refreshed, failed). One week's failure does not stop the others."""
    refreshed = failed = 0
    for pk, url in await sync_to_async(weeks_needing_forecast)(now=now):
        try:
            points = await client.weather_forecast(url)
        except IRacingError:
            failed += 1
            continue
        await WeatherForecast.objects.aupdate_or_create(
            race_week_id=pk,
            defaults={
                "url": url,
                "fetched_at": now,
                "points": [p.model_dump(mode="json") for p in points],
                **summarise(points),
            },
        )
        refreshed += 1
    return refreshed, failed
