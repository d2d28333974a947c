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

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

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


# Seasons whose schedule is rewritten per transaction. A full sync rewrites hundreds of schedules (tens of
# thousands of session times); in one transaction that held SQLite's only write lock for half a minute, longer
# than every other process's busy timeout ("database is locked"). Small batches let other writers in between.
SCHEDULE_BATCH = 10


def write_seasons(seasons: list[dict[str, Any]], *, retire_missing: bool) -> SeasonSyncSummary:
    """Upsert the seasons, then rewrite the race weeks and session times of the seasons whose schedule changed.

    Each step is its own short transaction. A season's new schedule hash is written in the same transaction as its
    schedule, so a sync stopped halfway leaves the rest "changed", and the next run rewrites exactly those.
    """
    summary = SeasonSyncSummary()
    with transaction.atomic():
        changed = _upsert_seasons(seasons, retire_missing=retire_missing, summary=summary)
    items = list(changed.items())
    for start in range(0, len(items), SCHEDULE_BATCH):
        with transaction.atomic():
            _write_schedules(dict(items[start : start + SCHEDULE_BATCH]), summary)
    return summary


def _upsert_seasons(
    seasons: list[dict[str, Any]], *, retire_missing: bool, summary: SeasonSyncSummary
) -> dict[int, tuple[str, list[dict[str, Any]]]]:
    """Upsert the seasons; return the schedules (with their new hash) that differ from the stored ones."""
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
    return changed


def _write_schedules(changed: dict[int, tuple[str, list[dict[str, Any]]]], summary: SeasonSyncSummary) -> None:
    """Rewrite these seasons' race weeks and session times, and record their new schedule hash."""
    season_pk = dict(Season.objects.filter(season_id__in=list(changed)).values_list("season_id", "id"))
    tracks = dict(Track.objects.values_list("track_id", "id"))
    weeks = [{**w, "season_id": sid} for sid, (_h, ws) in changed.items() for w in ws]
    counts = bulk_upsert(RaceWeek, "key", weeks, _week_fields(season_pk, tracks), retire_missing=False)
    summary.race_weeks += counts
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
    summary.session_times += len(times)
    Season.objects.bulk_update(
        [Season(id=season_pk[sid], schedule_hash=h) for sid, (h, _w) in changed.items()], ["schedule_hash"]
    )


def season_raw(*, season_id: int) -> dict[str, Any] | None:
    """The stored upstream item of a season (a past season's schedule is merged into it), or None."""
    row = Season.objects.filter(season_id=season_id).values("raw").first()
    return row["raw"] if row else None


def tracks_store(tracks: list[dict[str, Any]]) -> Counts:
    """Add the tracks a schedule names that the database lacks (never retires: the list may be partial)."""
    return bulk_upsert(Track, "track_id", tracks, track_fields, retire_missing=False)


@transaction.atomic
def past_seasons_store(seasons: list[dict[str, Any]]) -> list[int]:
    """Store a series' past seasons; return the ids whose schedule is not stored yet."""
    bulk_upsert(Season, "season_id", seasons, season_fields, retire_missing=False)
    Season.objects.filter(series__isnull=True).update(
        series=Subquery(Series.objects.filter(series_id=OuterRef("iracing_series_id")).values("id")[:1])
    )
    ids = [s["season_id"] for s in seasons]
    return list(Season.objects.filter(season_id__in=ids, schedule_hash="").values_list("season_id", flat=True))
