"""The benchmark's baseline for the sync: the way most sync code is written, one query (or more) per row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import models

from simlane.iracing.models import RaceWeek, Season, SessionTime, Track
from simlane.iracing.sync.schedule import session_starts
from simlane.iracing.sync.seasons import season_fields
from simlane.iracing.sync.upsert import Counts, content_hash


def naive_upsert(
    model: type[models.Model],
    key: str,
    items: Iterable[dict[str, Any]],
    to_fields: Callable[[dict[str, Any]], dict[str, Any]],
) -> Counts:
    """The way most sync code is written: ``update_or_create`` row by row (the benchmark's baseline)."""
    counts = Counts()
    for item in items:
        fields = to_fields(item)
        k = fields.pop(key)
        _, created = model.objects.update_or_create(  # type: ignore[attr-defined]
            **{key: k}, defaults={**fields, "content_hash": content_hash(item), "raw": item, "active": True}
        )
        counts.created += created
        counts.updated += not created
    return counts


def naive_write_seasons(seasons: list[dict[str, Any]]) -> None:
    """Seasons, race weeks and session times the per-row way (``update_or_create`` / ``get_or_create``)."""
    for s in seasons:
        fields = season_fields({k: v for k, v in s.items() if k != "schedules"})
        season, _ = Season.objects.update_or_create(season_id=fields.pop("season_id"), defaults=fields)
        for w in s["schedules"]:
            track = w.get("track") or {}
            week, _ = RaceWeek.objects.update_or_create(
                key=f"{season.season_id}:{w['race_week_num']}",
                defaults={
                    "season": season,
                    "race_week_num": w["race_week_num"],
                    "start_date": w.get("start_date"),
                    "week_end_time": w.get("week_end_time"),
                    "iracing_track_id": track.get("track_id"),
                    "track": Track.objects.filter(track_id=track.get("track_id") or 0).first(),
                    "track_name": track.get("track_name") or "",
                    "race_time_descriptors": w.get("race_time_descriptors") or [],
                    "car_restrictions": w.get("car_restrictions") or [],
                    "weather": w.get("weather") or {},
                },
            )
            start = date.fromisoformat(str(w["start_date"])[:10]) if w.get("start_date") else None
            for t in session_starts(w.get("race_time_descriptors") or [], week_start=start):
                SessionTime.objects.get_or_create(race_week=week, start_time=t)
