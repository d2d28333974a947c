"""Creating, editing and cancelling events, and their signup sheet (admins only: ``permissions.require_manage``).

Every change asks the bot to update the event's Discord side (``discord.request_event_sync``) once committed.
Times are given by the caller's clock (``now``), never read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from simlane.clubs.models import Club
from simlane.iracing.models import CarClass, RaceWeek, Track

from ..models import Event, EventClass, EventKind, EventSource, EventStatus, SignupSheet
from ..permissions import EventActor, require_manage
from . import EventError, locked_event
from .discord import request_event_sync
from .signups import promote_waitlist

MAX_CLASSES = 10
MAX_CAPACITY = 500
MAX_TEAM_DRIVERS = 16
MAX_DURATION_MINUTES = 48 * 60
DEFAULT_CUTOFF = timedelta(hours=1)
ENDED = (EventStatus.FINISHED, EventStatus.ARCHIVED, EventStatus.CANCELLED)


@dataclass(frozen=True)
class ClassSpec:
    """A car class as the admin asked for it; ``car_class_id`` fills the name and cars from the catalogue."""

    name: str = ""
    capacity: int = 20
    car_class_id: int | None = None
    car_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class EventSpec:
    """What an admin fills in to create an event (the form, ``/event create``)."""

    title: str
    race_at: datetime
    kind: str = EventKind.SOLO
    source: str = EventSource.CUSTOM
    track_id: int | None = None
    track_name: str = ""
    series_id: int | None = None
    season_id: int | None = None
    race_week_num: int | None = None
    league_id: int | None = None
    league_season_id: int | None = None
    league_session_id: int | None = None
    practice_at: datetime | None = None
    qualifying_at: datetime | None = None
    duration_minutes: int = 60
    team_min_drivers: int | None = None
    team_max_drivers: int | None = None
    classes: list[ClassSpec] = field(default_factory=lambda: [ClassSpec(name="Open")])
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    waitlist: bool = True


def _track(spec: EventSpec) -> tuple[int | None, str]:
    """The track from the synced catalogue (an official race week names it); a free-text name otherwise."""
    if spec.season_id is not None and spec.race_week_num is not None:
        week = RaceWeek.objects.filter(season__season_id=spec.season_id, race_week_num=spec.race_week_num).first()
        if week is None:
            raise EventError("SimLane has no such race week in its synced schedule; pick one from the list.")
        name = f"{week.track_name} — {week.config_name}" if week.config_name else week.track_name
        return week.iracing_track_id, name[:150]
    if spec.track_id is not None:
        track = Track.objects.filter(track_id=spec.track_id).first()
        if track is None:
            raise EventError("SimLane does not know that track; pick one from the list.")
        return track.track_id, str(track)[:150]
    name = spec.track_name.strip()
    if spec.source == EventSource.CUSTOM and not name:
        raise EventError("Choose a track for the event.")
    return None, name[:150]


def _classes(specs: list[ClassSpec]) -> list[EventClass]:
    if not 1 <= len(specs) <= MAX_CLASSES:
        raise EventError(f"An event has between 1 and {MAX_CLASSES} car classes.")
    rows: list[EventClass] = []
    for spec in specs:
        name, car_ids = spec.name.strip(), list(spec.car_ids)
        if spec.car_class_id is not None:
            known = CarClass.objects.filter(car_class_id=spec.car_class_id).first()
            if known is None:
                raise EventError("SimLane does not know that car class; pick one from the list.")
            name = name or known.short_name or known.name
            car_ids = car_ids or [int(c) for c in known.car_ids]
        if not name:
            raise EventError("Every car class needs a name.")
        if not 1 <= spec.capacity <= MAX_CAPACITY:
            raise EventError(f"A class takes between 1 and {MAX_CAPACITY} drivers.")
        rows.append(
            EventClass(name=name[:100], capacity=spec.capacity, car_class_id=spec.car_class_id, car_ids=car_ids)
        )
    if len({r.name.casefold() for r in rows}) != len(rows):
        raise EventError("Two car classes have the same name.")
    return rows


def _check_times(
    *, race_at: datetime, practice_at: datetime | None, qualifying_at: datetime | None, duration: int
) -> None:
    if race_at.tzinfo is None:
        raise EventError("Give times with their time zone (SimLane stores UTC).")
    for label, at in (("Practice", practice_at), ("Qualifying", qualifying_at)):
        if at is not None and at > race_at:
            raise EventError(f"{label} must start before the race.")
    if not 1 <= duration <= MAX_DURATION_MINUTES:
        raise EventError("The race lasts between 1 minute and 48 hours.")


def _check_team(kind: str, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    if kind == EventKind.SOLO:
        return None, None
    low, high = low or 1, high or low or 2
    if not 1 <= low <= high <= MAX_TEAM_DRIVERS:
        raise EventError(f"Drivers per team: at least 1, at most {MAX_TEAM_DRIVERS}, minimum no more than maximum.")
    return low, high


def _sheet_times(
    *, opens_at: datetime | None, closes_at: datetime | None, race_at: datetime, now: datetime
) -> tuple[datetime, datetime]:
    opens = opens_at or now
    closes = closes_at or (race_at - DEFAULT_CUTOFF if race_at - DEFAULT_CUTOFF > opens else race_at)
    if closes <= opens:
        raise EventError("Signups must close after they open.")
    if closes > race_at:
        raise EventError("Signups must close by the race start.")
    return opens, closes


def event_create(*, actor: EventActor, club: Club, spec: EventSpec, now: datetime) -> Event:
    """Create an event with its classes and open signup sheet, and ask the bot to post its card."""
    require_manage(actor, club.id)
    title = spec.title.strip()
    if not title or len(title) > 100:
        raise EventError("Give the event a title of at most 100 characters.")
    if spec.race_at <= now:
        raise EventError("The race must start in the future.")
    if spec.kind not in EventKind.values or spec.source not in EventSource.values:
        raise EventError("Unknown event kind or source.")
    _check_times(
        race_at=spec.race_at,
        practice_at=spec.practice_at,
        qualifying_at=spec.qualifying_at,
        duration=spec.duration_minutes,
    )
    team_min, team_max = _check_team(spec.kind, spec.team_min_drivers, spec.team_max_drivers)
    track_id, track_name = _track(spec)
    classes = _classes(spec.classes)
    opens, closes = _sheet_times(opens_at=spec.opens_at, closes_at=spec.closes_at, race_at=spec.race_at, now=now)
    with transaction.atomic():
        event = Event.objects.create(
            club=club,
            title=title,
            kind=spec.kind,
            source=spec.source,
            series_id=spec.series_id,
            season_id=spec.season_id,
            race_week_num=spec.race_week_num,
            league_id=spec.league_id,
            league_season_id=spec.league_season_id,
            league_session_id=spec.league_session_id,
            track_id=track_id,
            track_name=track_name,
            practice_at=spec.practice_at,
            qualifying_at=spec.qualifying_at,
            race_at=spec.race_at,
            duration_minutes=spec.duration_minutes,
            team_min_drivers=team_min,
            team_max_drivers=team_max,
            status=EventStatus.OPEN,
            created_by=actor.discord_user_id,
        )
        for row in classes:
            row.event = event
        EventClass.objects.bulk_create(classes)
        SignupSheet.objects.create(event=event, opens_at=opens, closes_at=closes, waitlist=spec.waitlist)
        request_event_sync(event, now)
    return event


EDITABLE = frozenset(
    {
        "title",
        "race_at",
        "practice_at",
        "qualifying_at",
        "duration_minutes",
        "track_name",
        "team_min_drivers",
        "team_max_drivers",
    }
)


def event_update(*, actor: EventActor, event_id: int, changes: dict[str, Any], now: datetime) -> Event:
    """Change an event's details (title, times, track name, team sizes); refused once it has ended."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise EventError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        if event.status in ENDED:
            raise EventError("This event has ended or was cancelled; it can no longer be changed.")
        for name, value in changes.items():
            setattr(event, name, value.strip() if isinstance(value, str) else value)
        if not event.title or len(event.title) > 100:
            raise EventError("Give the event a title of at most 100 characters.")
        _check_times(
            race_at=event.race_at,
            practice_at=event.practice_at,
            qualifying_at=event.qualifying_at,
            duration=event.duration_minutes,
        )
        event.team_min_drivers, event.team_max_drivers = _check_team(
            event.kind, event.team_min_drivers, event.team_max_drivers
        )
        sheet = event.sheet
        if sheet.closes_at > event.race_at:
            sheet.closes_at = event.race_at
            sheet.save(update_fields=["closes_at"])
        event.save()
        request_event_sync(event, now)
    return event


def event_cancel(*, actor: EventActor, event_id: int, now: datetime) -> Event:
    """Cancel an event: signups stop, the card says so; the Discord side is tidied by the bot."""
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        if event.status in ENDED:
            raise EventError("This event has already ended or was cancelled.")
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        request_event_sync(event, now)
    return event


def sheet_close_now(*, actor: EventActor, event_id: int, now: datetime) -> SignupSheet:
    """Close signups at once (the cut-off becomes now)."""
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        sheet = event.sheet
        sheet.closes_at = min(sheet.closes_at, now)
        sheet.opens_at = min(sheet.opens_at, sheet.closes_at)
        sheet.save()
        request_event_sync(event, now)
    return sheet


def class_capacity_set(*, actor: EventActor, event_id: int, class_id: int, capacity: int, now: datetime) -> EventClass:
    """Change a class's capacity; a raise promotes from the waitlist, a cut never removes confirmed drivers."""
    if not 1 <= capacity <= MAX_CAPACITY:
        raise EventError(f"A class takes between 1 and {MAX_CAPACITY} drivers.")
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        row = EventClass.objects.filter(event=event, id=class_id).first()
        if row is None:
            raise EventError("No such class in this event.")
        row.capacity = capacity
        row.save(update_fields=["capacity"])
        promote_waitlist(event=event, event_class=row, now=now)
        request_event_sync(event, now)
    return row
