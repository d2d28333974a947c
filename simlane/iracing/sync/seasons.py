"""Seasons and their schedules (race weeks and the session times they produce) into the database.

``series/seasons`` returns the current and future seasons of every series with their schedules in one call. A
season's race weeks are rewritten only when the stored hash of its schedule changed, so a re-run writes nothing.
A schedule naming a track the database does not know triggers a track sync instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from simlane.iracing.cache import cache_or_fetch
from simlane.iracing.client import IRacingClient

from ..models import RaceWeek, Season, Series, SessionTime, Track
from .reference import track_fields
from .schedule import session_starts
from .upsert import Counts, bulk_upsert, content_hash


@dataclass
class SeasonSyncSummary:
    seasons: Counts = field(default_factory=Counts)
    race_weeks: Counts = field(default_factory=Counts)
    session_times: int = 0
    schedules_skipped: int = 0
    tracks_synced: int = 0
    api_calls: int = 0
    cache_hits: int = 0


def season_fields(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "season_id": i["season_id"],
        "iracing_series_id": i.get("series_id") or 0,
        "name": (i.get("season_name") or "")[:200],
        "year": i.get("season_year"),
        "quarter": i.get("season_quarter"),
        "official": bool(i.get("official", True)),
        "car_class_ids": i.get("car_class_ids") or [],
    }


def _week_fields(season_pk: dict[int, int], tracks: dict[int, int]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def fields(w: dict[str, Any]) -> dict[str, Any]:
        track = w.get("track") or {}
        track_id = track.get("track_id")
        return {
            "key": f"{w['season_id']}:{w['race_week_num']}",
            "season_id": season_pk[w["season_id"]],
            "race_week_num": w["race_week_num"],
            "start_date": w.get("start_date"),
            "week_end_time": w.get("week_end_time"),
            "iracing_track_id": track_id,
            "track_id": tracks.get(track_id) if track_id else None,
            "track_name": (track.get("track_name") or "")[:200],
            "config_name": (track.get("config_name") or "")[:200],
            "race_time_descriptors": w.get("race_time_descriptors") or [],
            "race_lap_limit": w.get("race_lap_limit"),
            "race_time_limit": w.get("race_time_limit"),
            "car_restrictions": w.get("car_restrictions") or [],
            "track_state": w.get("track_state") or {},
            "weather": w.get("weather") or {},
        }

    return fields


def missing_track_ids(seasons: list[dict[str, Any]]) -> set[int]:
    wanted = {(w.get("track") or {}).get("track_id") for s in seasons for w in s.get("schedules") or []}
    wanted.discard(None)
    known = set(Track.objects.filter(track_id__in=wanted).values_list("track_id", flat=True))
    return {t for t in wanted if t is not None} - known


@transaction.atomic
def write_seasons(seasons: list[dict[str, Any]], *, retire_missing: bool) -> SeasonSyncSummary:
    """Upsert the seasons, then rewrite the race weeks and session times of the seasons whose schedule changed."""
    summary = SeasonSyncSummary()
    # series/seasons lists current and future seasons only: one that vanished from that range is retired; past
    # seasons (synced from series/past_seasons) are outside it and left alone.
    quarters = [(s.get("season_year") or 0, s.get("season_quarter") or 0) for s in seasons]
    first_year, first_quarter = min(quarters, default=(0, 0))
    summary.seasons = bulk_upsert(
        Season,
        "season_id",
        [{k: v for k, v in s.items() if k != "schedules"} for s in seasons],
        season_fields,
        retire_missing=retire_missing and bool(seasons),
        retire_scope=Q(year__gt=first_year) | Q(year=first_year, quarter__gte=first_quarter),
    )
    Season.objects.filter(series__isnull=True).update(
        series=Subquery(Series.objects.filter(series_id=OuterRef("iracing_series_id")).values("id")[:1])
    )
    stored = dict(Season.objects.values_list("season_id", "schedule_hash"))
    changed = {}
    for s in seasons:
        h = content_hash({"schedules": s.get("schedules") or []})
        if stored.get(s["season_id"]) == h:
            summary.schedules_skipped += 1
        else:
            changed[s["season_id"]] = (h, s.get("schedules") or [])
    if not changed:
        return summary
    season_pk = dict(Season.objects.filter(season_id__in=list(changed)).values_list("season_id", "id"))
    tracks = dict(Track.objects.values_list("track_id", "id"))
    weeks = [{**w, "season_id": sid} for sid, (_h, ws) in changed.items() for w in ws]
    summary.race_weeks = bulk_upsert(RaceWeek, "key", weeks, _week_fields(season_pk, tracks), retire_missing=False)
    week_pk = dict(RaceWeek.objects.filter(season_id__in=season_pk.values()).values_list("key", "id"))
    SessionTime.objects.filter(race_week_id__in=week_pk.values()).delete()
    times = []
    for w in weeks:
        start = date.fromisoformat(str(w["start_date"])[:10]) if w.get("start_date") else None
        minutes = next((d.get("session_minutes") for d in w.get("race_time_descriptors") or []), None)
        for t in session_starts(w.get("race_time_descriptors") or [], week_start=start):
            times.append(
                SessionTime(
                    race_week_id=week_pk[f"{w['season_id']}:{w['race_week_num']}"],
                    start_time=t,
                    session_minutes=minutes,
                )
            )
    SessionTime.objects.bulk_create(times, batch_size=1000)
    summary.session_times = len(times)
    Season.objects.bulk_update(
        [Season(id=season_pk[sid], schedule_hash=h) for sid, (h, _w) in changed.items()], ["schedule_hash"]
    )
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
    if await sync_to_async(missing_track_ids)(seasons):
        tracks, track_cached = await _fetch(client, "track/get", {}, refresh=True)
        fetches.append(track_cached)
        counts = await sync_to_async(bulk_upsert)(Track, "track_id", tracks, track_fields, retire_missing=False)
        tracks_synced = counts.created
    if progress:
        progress("schedules", 2, 3)
    summary: SeasonSyncSummary = await sync_to_async(write_seasons)(seasons, retire_missing=not (year and quarter))
    summary.tracks_synced = tracks_synced
    summary.cache_hits, summary.api_calls = sum(fetches), len(fetches) - sum(fetches)
    if progress:
        progress("done", 3, 3)
    return summary


async def sync_season_schedule(client: IRacingClient, season_id: int, *, refresh: bool = False) -> SeasonSyncSummary:
    """One (past) season's schedule: ``series/season_schedule``."""
    schedule, cached = await _fetch(client, "series/season_schedule", {"season_id": season_id}, refresh)
    existing = await Season.objects.filter(season_id=season_id).values("raw").afirst()
    season = {**(existing["raw"] if existing else {"season_id": season_id}), "schedules": schedule.get("schedules")}
    if not season.get("series_id") and schedule.get("schedules"):
        season["series_id"] = schedule["schedules"][0].get("series_id")
    summary: SeasonSyncSummary = await sync_to_async(write_seasons)([season], retire_missing=False)
    summary.cache_hits, summary.api_calls = (1, 0) if cached else (0, 1)
    return summary


async def sync_past_seasons(client: IRacingClient, series_id: int, *, refresh: bool = False) -> list[int]:
    """Store a series' past seasons (``series/past_seasons``); return the ids whose schedule is not stored yet."""
    data, _cached = await _fetch(client, "series/past_seasons", {"series_id": series_id}, refresh)
    seasons = [
        {**s, "series_id": s.get("series_id") or series_id} for s in (data.get("series") or {}).get("seasons", [])
    ]

    def store() -> list[int]:
        bulk_upsert(Season, "season_id", seasons, season_fields, retire_missing=False)
        Season.objects.filter(series__isnull=True).update(
            series=Subquery(Series.objects.filter(series_id=OuterRef("iracing_series_id")).values("id")[:1])
        )
        ids = [s["season_id"] for s in seasons]
        return list(Season.objects.filter(season_id__in=ids, schedule_hash="").values_list("season_id", flat=True))

    result: list[int] = await sync_to_async(store)()
    return result
