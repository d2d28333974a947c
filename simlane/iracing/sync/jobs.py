"""The iRacing syncs that tasks and commands run: fetch from iRacing, then write through ``aio``.

Reference data (cars, classes, tracks, series, seasons) is fetched through the cache; forecasts and the race guide
are fetched fresh. The writes are the synchronous functions in the modules beside this one; async code reaches
them only through :mod:`simlane.iracing.aio`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings

from simlane.iracing import aio
from simlane.iracing.cache import cache_or_fetch
from simlane.iracing.client import IRacingClient, IRacingError

from .reference import TABLES, SyncSummary
from .seasons import SeasonSyncSummary


async def sync_reference(
    client: IRacingClient,
    *,
    refresh: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> SyncSummary:
    """Fetch (through the cache) and upsert the four reference tables; idempotent."""
    summary = SyncSummary()
    ttl = settings.IRACING_CACHE_TTL
    for n, (endpoint, model, key, to_fields) in enumerate(TABLES, start=1):
        if progress:
            progress(endpoint, n - 1, len(TABLES))

        async def fetch(endpoint: str = endpoint) -> list[dict[str, Any]]:
            data: list[dict[str, Any]] = await client.get(endpoint)  # raw items: unknown fields are kept in ``raw``
            return data

        items, cached = await cache_or_fetch(endpoint, {}, ttl, fetch, refresh=refresh)
        summary.cache_hits += cached
        summary.api_calls += not cached
        summary.counts[endpoint] = await aio.bulk_upsert(model, key, items, to_fields)
    await aio.link_class_cars()
    if progress:
        progress("done", len(TABLES), len(TABLES))
    return summary


async def _fetch(client: IRacingClient, endpoint: str, params: dict[str, Any], refresh: bool) -> tuple[Any, bool]:
    async def fetch() -> Any:
        return await client.get(endpoint, params)

    return await cache_or_fetch(endpoint, params, settings.IRACING_CACHE_TTL, fetch, refresh=refresh)


async def sync_seasons(
    client: IRacingClient,
    *,
    refresh: bool = False,
    year: int | None = None,
    quarter: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SeasonSyncSummary:
    """Current and future seasons of every series (or one quarter's), with their schedules, in one API call."""
    params: dict[str, Any] = {"include_series": True}
    if year and quarter:
        params |= {"season_year": year, "season_quarter": quarter}
    if progress:
        progress("series/seasons", 0, 3)
    seasons, cached = await _fetch(client, "series/seasons", params, refresh)
    fetches = [cached]  # one entry per fetch: True when the cache served it
    tracks_synced = 0
    if progress:
        progress("tracks", 1, 3)
    if await aio.missing_track_ids(seasons):
        tracks, track_cached = await _fetch(client, "track/get", {}, refresh=True)
        fetches.append(track_cached)
        tracks_synced = (await aio.tracks_store(tracks)).created
    if progress:
        progress("schedules", 2, 3)
    summary = await aio.write_seasons(seasons, retire_missing=not (year and quarter))
    summary.tracks_synced = tracks_synced
    summary.cache_hits, summary.api_calls = sum(fetches), len(fetches) - sum(fetches)
    if progress:
        progress("done", 3, 3)
    return summary


async def sync_season_schedule(client: IRacingClient, season_id: int, *, refresh: bool = False) -> SeasonSyncSummary:
    """One (past) season's schedule: ``series/season_schedule``."""
    schedule, cached = await _fetch(client, "series/season_schedule", {"season_id": season_id}, refresh)
    raw = await aio.season_raw(season_id=season_id)
    season = {**(raw or {"season_id": season_id}), "schedules": schedule.get("schedules")}
    if not season.get("series_id") and schedule.get("schedules"):
        season["series_id"] = schedule["schedules"][0].get("series_id")
    summary = await aio.write_seasons([season], retire_missing=False)
    summary.cache_hits, summary.api_calls = (1, 0) if cached else (0, 1)
    return summary


async def sync_past_seasons(client: IRacingClient, series_id: int, *, refresh: bool = False) -> list[int]:
    """Store a series' past seasons (``series/past_seasons``); return the ids whose schedule is not stored yet."""
    data, _cached = await _fetch(client, "series/past_seasons", {"series_id": series_id}, refresh)
    seasons = [
        {**s, "series_id": s.get("series_id") or series_id} for s in (data.get("series") or {}).get("seasons", [])
    ]
    return await aio.past_seasons_store(seasons)


async def refresh_forecasts(client: IRacingClient, *, now: datetime) -> tuple[int, int]:
    """(refreshed, failed). One week's failure does not stop the others."""
    refreshed = failed = 0
    for pk, url in await aio.weeks_needing_forecast(now=now):
        try:
            points = await client.weather_forecast(url)
        except IRacingError:
            failed += 1
            continue
        await aio.forecast_save(race_week_id=pk, url=url, fetched_at=now, points=points)
        refreshed += 1
    return refreshed, failed


async def sync_race_guide(client: IRacingClient, *, now: datetime) -> int:
    """Store the sessions starting in the next three hours (and those running now); return the rows written."""
    guide = await client.race_guide(start_from=now, include_end_after_from=True)
    return await aio.store_guide(guide.sessions)
