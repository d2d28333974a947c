"""Celery tasks for iRacing data: thin, each with a time limit and 3 retries 60 s apart on iRacing errors.

Pacing is the client's: every task's requests go through the same rate budget as the rest of the process. Without a
broker the tasks run eagerly (``simlane run`` calls the same functions on the same schedule, see nightly_sync).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from typing import Any, TypeVar

from celery import shared_task

from simlane.core.db import close_async_connections
from simlane.iracing.client import IRacingClient, IRacingError

from .services import iracing_client_create
from .sync.guide import sync_race_guide
from .sync.reference import sync_reference
from .sync.seasons import sync_past_seasons, sync_season_schedule, sync_seasons
from .sync.weather import refresh_forecasts

T = TypeVar("T")
NIGHTLY_AT = time(3, 30)  # UTC; Celery beat (config/celery_app.py) and simlane run both use it
# Every iRacing task: 3 retries 60 s apart on iRacing errors (429s and 5xx the client could not ride out,
# maintenance), and a hard time limit.
iracing_task = shared_task(
    autoretry_for=(IRacingError,), max_retries=3, default_retry_delay=60, time_limit=10 * 60, soft_time_limit=9 * 60
)


def _run(work: Callable[[IRacingClient], Awaitable[T]]) -> T:
    async def go() -> T:
        try:
            async with iracing_client_create() as client:
                return await work(client)
        finally:
            await close_async_connections()

    return asyncio.run(go())


@iracing_task
def sync_reference_task(refresh: bool = False) -> dict[str, int]:
    """Cars, car classes, tracks and series."""
    summary = _run(lambda c: sync_reference(c, refresh=refresh))
    t = summary.total
    return {"created": t.created, "updated": t.updated, "retired": t.retired, "api_calls": summary.api_calls}


@iracing_task
def sync_current_seasons_task(refresh: bool = False) -> dict[str, int]:
    """Current and future seasons of every series, with schedules: one API call."""
    s = _run(lambda c: sync_seasons(c, refresh=refresh))
    return {"seasons_created": s.seasons.created, "race_weeks": s.race_weeks.created, "api_calls": s.api_calls}


@iracing_task
def sync_past_seasons_task(series_id: int, refresh: bool = False) -> dict[str, int]:
    """One series' past seasons; their schedules are queued one task each (only those not stored yet)."""
    season_ids = _run(lambda c: sync_past_seasons(c, series_id, refresh=refresh))
    for season_id in season_ids:
        sync_season_schedule_task.delay(season_id, refresh=refresh)
    return {"seasons_without_schedule": len(season_ids)}


@iracing_task
def sync_season_schedule_task(season_id: int, refresh: bool = False) -> dict[str, int]:
    s = _run(lambda c: sync_season_schedule(c, season_id, refresh=refresh))
    return {"race_weeks": s.race_weeks.created + s.race_weeks.updated, "session_times": s.session_times}


@iracing_task
def nightly_sync() -> dict[str, Any]:
    """The nightly job (Celery beat, or simlane run's scheduler): reference data, then current seasons, fresh."""

    return _run(nightly_work)


async def nightly_work(client: IRacingClient) -> dict[str, Any]:
    """What the nightly sync does; ``simlane run`` awaits it directly on the same schedule."""
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
    refreshed, failed = _run(lambda c: refresh_forecasts(c, now=datetime.now(UTC)))
    return {"refreshed": refreshed, "failed": failed}


@iracing_task
def sync_race_guide_task() -> dict[str, int]:
    """The next three hours of official sessions (Celery beat every 30 minutes)."""
    return {"sessions": _run(lambda c: sync_race_guide(c, now=datetime.now(UTC)))}
