"""iCalendar (RFC 5545) feeds of a club's events: the club's upcoming events, or the ones a member is signed up for.

Looked up by the feed's token alone (calendar apps cannot log in); a token shows its own club's events only.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .models import CalendarFeed, Event, EventStatus, Signup, SignupStatus

PAST = timedelta(days=30)
_FEED_PATH = re.compile(r"(/calendar/)[^/\s?#]+?(\.ics)")


def redact_feed_tokens(text: str) -> str:
    """A feed's address without its token (the token is the feed's only key): Django logs the path of a refused
    request, and a log must never hand out a working calendar address."""
    return _FEED_PATH.sub(r"\1…\2", text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n").replace("\r", "")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def feed_events(feed: CalendarFeed, now: datetime) -> list[Event]:
    """The events the feed lists: recent and upcoming, not cancelled; for a member's feed only theirs."""
    rows = Event.objects.filter(club_id=feed.club_id, race_at__gte=now - PAST).exclude(status=EventStatus.CANCELLED)
    if feed.member_id is not None:
        mine = Signup.objects.filter(member_id=feed.member_id).exclude(status=SignupStatus.WITHDRAWN)
        rows = rows.filter(id__in=mine.values("event_id"))
    return list(rows.order_by("race_at", "id"))


def calendar_text(feed: CalendarFeed, now: datetime, *, domain: str) -> str:
    """The feed as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SimLane//Club events//EN",
        "CALSCALE:GREGORIAN",
        _fold(f"X-WR-CALNAME:{_escape(feed.club.name)} events"),
    ]
    for event in feed_events(feed, now):
        start = event.practice_at or event.qualifying_at or event.race_at
        end = event.race_at + timedelta(minutes=event.duration_minutes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.id}@{domain}",
            f"DTSTAMP:{_stamp(event.updated_at)}",
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(end)}",
            _fold(f"SUMMARY:{_escape(event.title)}"),
            _fold(f"LOCATION:{_escape(event.track_name)}"),
            _fold(f"DESCRIPTION:{_escape(f'Race start {event.race_at:%Y-%m-%d %H:%M} UTC')}"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
