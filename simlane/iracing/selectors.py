"""Reads of synced iRacing data for people: schedules and upcoming sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import Car, RaceWeek, Series, SessionTime


def reference_data_exists() -> bool:
    """Whether the catalogue was ever synced (the first start of simlane run syncs at once when it was not)."""
    return bool(Car.objects.exists())


def car_names(*, car_ids: set[int]) -> dict[int, str]:
    """car_id -> name for the cars a schedule restricts (unknown ids are left out)."""
    return dict(Car.objects.filter(car_id__in=car_ids).values_list("car_id", "name"))


def series_search(*, term: str, limit: int = 25) -> list[Series]:
    qs = Series.objects.filter(active=True)
    if term:
        qs = qs.filter(name__icontains=term)
    return list(qs.order_by("name")[:limit])


def series_get(*, series_id: int) -> Series | None:
    return Series.objects.filter(series_id=series_id).first()


@dataclass(frozen=True)
class WeekView:
    week: RaceWeek
    next_sessions: list[datetime]


def race_weeks_around(*, series_id: int, now: datetime, weeks: int = 2) -> list[WeekView]:
    """The race week in force now and the next one(s), each with its next session starts."""
    current = (
        RaceWeek.objects.filter(season__iracing_series_id=series_id, season__active=True)
        .filter(week_end_time__gte=now)
        .select_related("season", "track", "forecast")
        .order_by("week_end_time")[:weeks]
    )
    out = []
    for week in current:
        starts = list(
            SessionTime.objects.filter(race_week=week, start_time__gte=now)
            .order_by("start_time")
            .values_list("start_time", flat=True)[:6]
        )
        out.append(WeekView(week, starts))
    return out


def upcoming_sessions(*, now: datetime, hours: int = 3, series_ids: list[int] | None = None) -> list[SessionTime]:
    qs = SessionTime.objects.filter(start_time__gte=now, start_time__lt=now + timedelta(hours=hours))
    if series_ids:
        qs = qs.filter(race_week__season__iracing_series_id__in=series_ids)
    return list(
        qs.select_related("race_week", "race_week__season", "race_week__season__series").order_by("start_time")[:25]
    )
