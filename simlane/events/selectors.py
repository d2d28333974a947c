"""Reads of club events, each scoped to one club: the list, one event's full state (the card and the web page show
the same), a member's signups, and the actor's member row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from simlane.clubs.models import Club, ClubMember
from simlane.iracing.models import Car, CarClass, RaceWeek, Track

from .models import Event, EventClass, EventDiscordChannel, EventStatus, Signup, SignupStatus, Team


def member_name(member: ClubMember) -> str:
    """The name the server shows for a member (raw: escape it where it is shown)."""
    return member.display_name or member.nick or member.username or str(member.discord_user_id)


def member_id_of(*, club_id: int, discord_user_id: int) -> int | None:
    """The active member row of this Discord user in the club, if any."""
    return (
        ClubMember.objects.filter(club_id=club_id, discord_user_id=discord_user_id, active=True)
        .values_list("id", flat=True)
        .first()
    )


def event_list(*, club_id: int, now: datetime | None = None, include_past: bool = False) -> list[Event]:
    """The club's events by race time; without ``include_past`` only those not finished, archived or cancelled."""
    rows: QuerySet[Event] = Event.objects.filter(club_id=club_id)
    if not include_past:
        rows = rows.exclude(status__in=(EventStatus.FINISHED, EventStatus.ARCHIVED, EventStatus.CANCELLED))
    return list(rows.select_related("sheet").order_by("race_at", "id"))


def event_get(*, club_id: int, event_id: int) -> Event | None:
    """One event of this club (None for another club's: ids do not leak across clubs)."""
    return Event.objects.filter(club_id=club_id, id=event_id).select_related("club", "sheet").first()


def event_search(*, club_id: int, term: str, limit: int = 25) -> list[Event]:
    """Upcoming events of the club whose title contains ``term`` (autocomplete)."""
    rows = Event.objects.filter(club_id=club_id, title__icontains=term.strip()).exclude(
        status__in=(EventStatus.ARCHIVED, EventStatus.CANCELLED)
    )
    return list(rows.order_by("race_at", "id")[:limit])


@dataclass
class ClassState:
    event_class: EventClass
    confirmed: list[Signup] = field(default_factory=list)
    waitlisted: list[Signup] = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(0, self.event_class.capacity - len(self.confirmed))

    @property
    def label(self) -> str:
        return f"{len(self.confirmed)}/{self.event_class.capacity}"


@dataclass
class EventState:
    """Everything the card and the event page show."""

    event: Event
    classes: list[ClassState]
    teams: list[Team]
    discord: EventDiscordChannel | None

    def signup_of(self, member_id: int | None) -> Signup | None:
        for state in self.classes:
            for signup in (*state.confirmed, *state.waitlisted):
                if signup.member_id == member_id:
                    return signup
        return None


def event_state(event: Event) -> EventState:
    """The event's classes with their confirmed roster (by signup time) and waitlist (in queue order), its teams."""
    classes = [ClassState(event_class=c) for c in EventClass.objects.filter(event=event).order_by("id")]
    by_id = {c.event_class.id: c for c in classes}
    signups = (
        Signup.objects.filter(event=event)
        .exclude(status=SignupStatus.WITHDRAWN)
        .select_related("member", "event_class")
        .order_by("created_at", "id")
    )
    for signup in signups:
        state = by_id[signup.event_class_id]
        (state.confirmed if signup.status == SignupStatus.CONFIRMED else state.waitlisted).append(signup)
    teams = list(
        Team.objects.filter(event=event)
        .select_related("event_class")
        .prefetch_related("members__signup__member", "stints__driver")
        .order_by("event_class_id", "name")
    )
    discord = EventDiscordChannel.objects.filter(event=event).first()
    return EventState(event=event, classes=classes, teams=teams, discord=discord)


def club_of_guild(*, guild_id: int) -> Club | None:
    return Club.objects.filter(guild_id=guild_id, active=True).first()


@dataclass(frozen=True)
class EventView:
    """An event and its state, read together for an answer in Discord (async code cannot lazy-load)."""

    event: Event
    state: EventState


def event_view(*, club_id: int, event_id: int) -> EventView | None:
    event = event_get(club_id=club_id, event_id=event_id)
    return EventView(event=event, state=event_state(event)) if event is not None else None


@dataclass(frozen=True)
class SignupForm:
    """What the signup modal offers: the event's classes and the member's current choices."""

    event_id: int
    title: str
    kind: str
    race_at: datetime
    classes: list[tuple[int, str, str]]  # (id, name, "7/20")
    cars: dict[int, str]  # car id → name, for the cars of every class
    current_class_id: int | None
    current_car_id: int | None
    current_number: str
    current_availability: str


def signup_form(*, club_id: int, event_id: int, member_id: int | None) -> SignupForm | None:
    event = event_get(club_id=club_id, event_id=event_id)
    if event is None:
        return None
    state = event_state(event)
    mine = state.signup_of(member_id) if member_id is not None else None
    car_ids = {c for cls in state.classes for c in cls.event_class.car_ids}
    cars = dict(Car.objects.filter(car_id__in=car_ids).values_list("car_id", "name"))
    windows = ", ".join(
        f"{datetime.fromisoformat(a).astimezone(UTC):%H:%M}-{datetime.fromisoformat(b).astimezone(UTC):%H:%M}"
        for a, b in (mine.availability if mine else [])
    )
    return SignupForm(
        event_id=event.id,
        title=event.title,
        kind=event.kind,
        race_at=event.race_at,
        classes=[(c.event_class.id, c.event_class.name, c.label) for c in state.classes],
        cars=cars,
        current_class_id=mine.event_class_id if mine else None,
        current_car_id=mine.car_id if mine else None,
        current_number=mine.preferred_number if mine else "",
        current_availability=windows,
    )


def track_search(*, term: str, limit: int = 25) -> list[Track]:
    """Tracks of the synced catalogue whose name or configuration contains ``term`` (autocomplete)."""
    rows = Track.objects.filter(active=True, retired=False)
    for word in term.split():
        rows = rows.filter(Q(name__icontains=word) | Q(config_name__icontains=word))
    return list(rows.order_by("name", "config_name")[:limit])


def car_class_search(*, term: str, limit: int = 25) -> list[CarClass]:
    rows = CarClass.objects.filter(active=True)
    if term.strip():
        rows = rows.filter(Q(name__icontains=term.strip()) | Q(short_name__icontains=term.strip()))
    return list(rows.order_by("name")[:limit])


def official_week(*, series_id: int, race_at: datetime) -> RaceWeek | None:
    """The race week of a series that contains ``race_at`` (by its start date, weeks run seven days)."""
    day = race_at.astimezone(UTC).date()
    weeks = RaceWeek.objects.filter(
        season__iracing_series_id=series_id, start_date__lte=day, start_date__gt=day - timedelta(days=7)
    ).select_related("season")
    return weeks.order_by("-start_date").first()
