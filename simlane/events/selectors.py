"""Reads of club events, each scoped to one club: the list, one event's full state (the card and the web page show
the same), a member's signups, and the actor's member row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from simlane.clubs.models import ClubMember

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

    @property
    def confirmed_count(self) -> int:
        return sum(len(c.confirmed) for c in self.classes)

    @property
    def waitlisted_count(self) -> int:
        return sum(len(c.waitlisted) for c in self.classes)

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


def member_signups(*, member_id: int) -> list[Signup]:
    """A member's current signups, soonest race first."""
    return list(
        Signup.objects.filter(member_id=member_id)
        .exclude(status=SignupStatus.WITHDRAWN)
        .select_related("event", "event_class")
        .order_by("event__race_at")
    )
