"""Clubs, members and events for the events tests (real rows, created through the services where one exists)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simlane.clubs.models import Club, ClubMember, ClubRole
from simlane.events.models import Event
from simlane.events.permissions import EventActor
from simlane.events.services.events import ClassSpec, EventSpec, event_create

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
RACE = NOW + timedelta(days=3)


def club(guild_id: int = 1000, name: str = "Sunday Cup") -> Club:
    return Club.objects.create(guild_id=guild_id, name=name)


def member(club: Club, discord_user_id: int, name: str = "", role: ClubRole = ClubRole.MEMBER) -> ClubMember:
    return ClubMember.objects.create(
        club=club, discord_user_id=discord_user_id, display_name=name or f"Driver {discord_user_id}", role=role
    )


def actor(row: ClubMember, *, admin: bool = False) -> EventActor:
    return EventActor(
        club_id=row.club_id,
        discord_user_id=row.discord_user_id,
        role=ClubRole.ADMIN if admin else ClubRole.MEMBER,
        member_id=row.id,
    )


def admin_actor(club: Club, discord_user_id: int = 1) -> EventActor:
    return EventActor(club_id=club.id, discord_user_id=discord_user_id, role=ClubRole.ADMIN, member_id=None)


def event(
    club: Club, *, capacity: int = 20, classes: list[ClassSpec] | None = None, now: datetime = NOW, **spec: object
) -> Event:
    fields: dict[str, object] = {"title": "Thursday GT3", "race_at": RACE, "track_name": "Spa", **spec}
    return event_create(
        actor=admin_actor(club),
        club=club,
        spec=EventSpec(classes=classes or [ClassSpec(name="GT3", capacity=capacity)], **fields),  # type: ignore[arg-type]
        now=now,
    )
