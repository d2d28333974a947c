"""Celery tasks for iRacing data: thin, each with a time limit and 3 retries 60 s apart on iRacing errors.

Each run opens its own client; the token is shared with every other process through the database. The periodic ones
are scheduled in ``config/periodic.py`` (Celery beat, or ``simlane run`` without a broker).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from celery import shared_task

from simlane.iracing.client import IRacingClient, IRacingError

from .services import run_with_client
from .sync.jobs import (
    refresh_forecasts,
    sync_past_seasons,
    sync_race_guide,
    sync_reference,
    sync_season_schedule,
    sync_seasons,
)

NIGHTLY_AT = time(3, 30)  # UTC, a quiet hour; the periodic jobs table schedules nightly_sync then
# Every iRacing task: 3 retries 60 s apart on iRacing errors (429s and 5xx the client could not ride out,
# maintenance), and a hard time limit.
iracing_task = shared_task(
    autoretry_for=(IRacingError,), max_retries=3, default_retry_delay=60, time_limit=10 * 60, soft_time_limit=9 * 60
)


@iracing_task
def sync_reference_task(refresh: bool = False) -> dict[str, int]:
    """Cars, car classes, tracks and series."""
    summary = run_with_client(lambda c: sync_reference(c, refresh=refresh))
    t = summary.total
    return {"created": t.created, "updated": t.updated, "retired": t.retired, "api_calls": summary.api_calls}


@iracing_task
def sync_current_seasons_task(refresh: bool = False) -> dict[str, int]:
    """Current and future seasons of every series, with schedules: one API call."""
    s = run_with_client(lambda c: sync_seasons(c, refresh=refresh))
    return {"seasons_created": s.seasons.created, "race_weeks": s.race_weeks.created, "api_calls": s.api_calls}


@iracing_task
def sync_past_seasons_task(series_id: int, refresh: bool = False) -> dict[str, int]:
    """One series' past seasons; their schedules are queued one task each (only those not stored yet)."""
    season_ids = run_with_client(lambda c: sync_past_seasons(c, series_id, refresh=refresh))
    for season_id in season_ids:
        sync_season_schedule_task.delay(season_id, refresh=refresh)
    return {"seasons_without_schedule": len(season_ids)}


@iracing_task
def sync_season_schedule_task(season_id: int, refresh: bool = False) -> dict[str, int]:
    s = run_with_client(lambda c: sync_season_schedule(c, season_id, refresh=refresh))
    return {"race_weeks": s.race_weeks.created + s.race_weeks.updated, "session_times": s.session_times}


@iracing_task
def nightly_sync() -> dict[str, Any]:
    """The nightly job: reference data, then current seasons, fresh."""
    return run_with_client(nightly_work)


async def nightly_work(client: IRacingClient) -> dict[str, Any]:
    """What the nightly sync does."""
    reference = await sync_reference(client, refresh=True)
    seasons = await sync_seasons(client, refresh=True)
    refreshed, failed = await refresh_forecasts(client, now=datetime.now(UTC))
    return {
        "reference": {"created": reference.total.created, "updated": reference.total.updated},
        "seasons": {"seasons_created": seasons.seasons.created, "race_weeks": seasons.race_weeks.created},
        "forecasts": {"refreshed": refreshed, "failed": failed},
    }


@iracing_task
def refresh_weather_forecasts_task() -> dict[str, int]:
    """Forecasts of the next two weeks' race weeks that are missing or older than six hours."""
    refreshed, failed = run_with_client(lambda c: refresh_forecasts(c, now=datetime.now(UTC)))
    return {"refreshed": refreshed, "failed": failed}


@iracing_task
def sync_race_guide_task() -> dict[str, int]:
    """The next three hours of official sessions (Celery beat every 30 minutes)."""
    return {"sessions": run_with_client(lambda c: sync_race_guide(c, now=datetime.now(UTC)))}
