"""Session start times from ``race_time_descriptors`` (all times UTC).

A repeating descriptor starts sessions on each ``day_offset`` day after ``start_date`` at ``first_session_time``
and then every ``repeat_minutes`` until the day ends; a non-repeating one lists ``session_times``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any


def _parse_time(value: str) -> time:
    return time.fromisoformat(value)


def session_starts(descriptors: list[dict[str, Any]], *, week_start: date | None = None) -> list[datetime]:
    out: set[datetime] = set()
    for d in descriptors:
        if not d.get("repeating"):
            for t in d.get("session_times") or []:
                out.add(datetime.fromisoformat(str(t).replace("Z", "+00:00")).astimezone(UTC))
            continue
        first, repeat = d.get("first_session_time"), d.get("repeat_minutes")
        start = d.get("start_date") or (week_start.isoformat() if week_start else None)
        if not first or not start:
            continue
        base = datetime.combine(date.fromisoformat(str(start)), _parse_time(str(first)), tzinfo=UTC)
        for offset in d.get("day_offset") or [0]:
            day_start = datetime.combine(date.fromisoformat(str(start)) + timedelta(days=offset), time(), tzinfo=UTC)
            t = base + timedelta(days=offset)
            while t < day_start + timedelta(days=1):
                out.add(t)
                if not repeat:
                    break
                t += timedelta(minutes=int(repeat))
    return sorted(out)
