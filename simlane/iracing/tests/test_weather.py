"""Weather forecasts: fetched when missing or stale only, scaled integers converted to units."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simlane.conftest import SIM_NOW
from simlane.iracing.models import WeatherForecast
from simlane.iracing.sync.jobs import refresh_forecasts, sync_reference, sync_seasons

NOW = SIM_NOW
pytestmark = pytest.mark.django_db(transaction=True)


async def test_forecasts_are_fetched_once_until_stale_and_summarised_in_si_units(stopped_sim):
    sim, client = stopped_sim
    await sync_reference(client)
    await sync_seasons(client)
    refreshed, failed = await refresh_forecasts(client, now=NOW)
    assert refreshed >= 6 and failed == 0  # at least this week's forecast of every series
    downloads = sim.counters["download"]
    assert await refresh_forecasts(client, now=NOW + timedelta(hours=1)) == (0, 0)
    assert sim.counters["download"] == downloads  # fresh: nothing fetched
    again, _ = await refresh_forecasts(client, now=NOW + timedelta(hours=7))
    assert again == refreshed  # stale after six hours
    forecast = await WeatherForecast.objects.afirst()
    assert forecast is not None and forecast.points
    temps = [p["air_temp"] / 100 for p in forecast.points if p.get("air_temp") is not None]
    assert forecast.air_temp_min_c == min(temps) and forecast.air_temp_max_c == max(temps)
    assert -30 < forecast.air_temp_min_c < 50  # °C, not 1/100 °C
    rain = [p["precip_chance"] / 100 for p in forecast.points if p.get("precip_chance") is not None]
    assert forecast.precip_chance_max_pct == max(rain) and 0 <= max(rain) <= 100
