"""What members and admins type in Discord, read into values: times in UTC and availability windows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from .services import EventError

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def parse_utc(text: str) -> datetime:
    """``2026-05-04 19:30`` (UTC) or an ISO time with its offset."""
    raw = text.strip().replace("T", " ")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise EventError("Give the time as `YYYY-MM-DD HH:MM` in UTC, for example `2026-05-04 19:30`.") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_windows(text: str, *, race_at: datetime) -> list[tuple[datetime, datetime]]:
    """Availability as ``19:00-21:00, 23:00-02:00`` in UTC: each window on the race's day (or from the race's
    start, for a window that begins before it on the next day); an end before its start runs past midnight."""
    windows: list[tuple[datetime, datetime]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _WINDOW.match(part)
        if match is None:
            raise EventError("Write availability as `HH:MM-HH:MM` in UTC, separated by commas, e.g. `19:00-21:00`.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise EventError(f"`{part}` is not a time of day.")
        day = race_at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start = day.replace(hour=h1, minute=m1)
        if start < race_at - timedelta(hours=12):
            start += timedelta(days=1)
        end = start.replace(hour=h2, minute=m2)
        if end <= start:
            end += timedelta(days=1)
        windows.append((start, end))
    return windows
