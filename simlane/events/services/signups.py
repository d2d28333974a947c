"""Signing up, changing a signup and withdrawing, with capacity per class and the waitlist.

Each write locks the event row first (``select_for_update``; on SQLite the IMMEDIATE transaction takes the write
lock), so two members racing for the last place are served one after the other: one is confirmed, the other
waitlisted (or told the class is full). The waitlist is first come, first served; whenever a place frees up
(a withdrawal, a raised capacity) the oldest waiting signup of that class is confirmed and stamped ``promoted_at``.
The bot then tells the promoted member in the card's channel (``promotion_announced_at`` records that it did).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from ..models import Event, EventClass, EventStatus, Signup, SignupStatus, TeamMember
from ..ownership import ownership_warnings
from ..permissions import EventActor, require_change_signup, require_sign_up
from . import EventError, locked_event
from .discord import request_event_sync
from .numbers import own_number, preferred_number_check

MAX_WINDOWS = 8


@dataclass
class SignupOutcome:
    """What a signup did, and the member's private answer (written inside the transaction: async callers read it
    without touching the database)."""

    signup: Signup
    waitlisted: bool
    changed: bool = False
    warnings: list[str] = field(default_factory=list)
    message: str = ""


def _answer(signup: Signup, *, changed: bool, warnings: list[str]) -> str:
    cls = signup.event_class.name
    if signup.status == SignupStatus.WAITLISTED:
        ahead = Signup.objects.filter(
            event_class=signup.event_class, status=SignupStatus.WAITLISTED, created_at__lt=signup.created_at
        ).count()
        text = f"{cls} is full: you are number {ahead + 1} on its waitlist. You will be told if a place frees up."
    elif changed:
        text = f"Your signup in {cls} is updated."
    else:
        text = f"You are in: {cls}."
    number = f" Car number #{signup.preferred_number}." if signup.preferred_number else ""
    return " ".join([text + number, *warnings])


def _check_open(event: Event, now: datetime) -> None:
    if event.status == EventStatus.TEAMS_FINAL:
        raise EventError("Teams are final for this event; ask an admin to add you.")
    if event.status != EventStatus.OPEN:
        raise EventError(f"Signups are closed: the event is {event.get_status_display().lower()}.")
    sheet = event.sheet
    if now < sheet.opens_at:
        raise EventError(f"Signups open <t:{int(sheet.opens_at.timestamp())}:R>.")
    if now >= sheet.closes_at:
        raise EventError("Signups are closed: the cut-off has passed.")


def availability_check(event: Event, windows: list[tuple[datetime, datetime]]) -> list[list[str]]:
    """Availability windows as stored: aware, start before end, at most a few, overlapping the race."""
    if len(windows) > MAX_WINDOWS:
        raise EventError(f"Give at most {MAX_WINDOWS} availability windows.")
    out: list[list[str]] = []
    for start, end in windows:
        if start.tzinfo is None or end.tzinfo is None:
            raise EventError("Availability times need a time zone.")
        if end <= start:
            raise EventError("Each availability window must end after it starts.")
        out.append([start.isoformat(), end.isoformat()])
    return out


def _class(event: Event, class_id: int) -> EventClass:
    row = EventClass.objects.filter(event=event, id=class_id).first()
    if row is None:
        raise EventError("That class is not part of this event.")
    return row


def _place(event: Event, event_class: EventClass) -> SignupStatus:
    confirmed = Signup.objects.filter(event_class=event_class, status=SignupStatus.CONFIRMED).count()
    if confirmed < event_class.capacity:
        return SignupStatus.CONFIRMED
    if event.sheet.waitlist:
        return SignupStatus.WAITLISTED
    raise EventError(f"{event_class.name} is full and this event keeps no waitlist.")


def signup_save(
    *,
    actor: EventActor,
    event_id: int,
    class_id: int,
    now: datetime,
    car_id: int | None = None,
    preferred_number: str | None = None,
    availability: list[tuple[datetime, datetime]] | None = None,
    warnings: list[str] | None = None,
) -> SignupOutcome:
    """Sign the actor up, or change their signup (class, car, number, availability).

    ``preferred_number`` None keeps the current one (a new signup takes the number the member holds in the class's
    pool); "" clears it. Moving to a full class puts the member on that class's waitlist and frees their old place.
    """
    with transaction.atomic():
        event = locked_event(event_id, "sheet")
        member_id = require_sign_up(actor, event)
        _check_open(event, now)
        event_class = _class(event, class_id)
        if car_id is not None and event_class.car_ids and car_id not in event_class.car_ids:
            raise EventError(f"That car does not race in {event_class.name}.")
        windows = availability_check(event, availability) if availability is not None else None
        current = Signup.objects.filter(event=event, member_id=member_id).exclude(status=SignupStatus.WITHDRAWN).first()
        if preferred_number is None:
            typed = (
                current.preferred_number
                if current is not None
                else own_number(
                    guild_id=event.club.guild_id, event_class=event_class, discord_user_id=actor.discord_user_id
                )
            )
        else:
            typed = preferred_number
        number = preferred_number_check(
            guild_id=event.club.guild_id,
            event_class=event_class,
            discord_user_id=actor.discord_user_id,
            typed=typed,
            signup_id=current.id if current is not None else None,
        )
        if current is None:
            status = _place(event, event_class)
            signup = Signup.objects.create(
                event=event,
                member_id=member_id,
                event_class=event_class,
                car_id=car_id,
                preferred_number=number,
                availability=windows or [],
                status=status,
                created_at=now,
            )
            changed = False
        else:
            signup, changed = current, True
            old_class = signup.event_class
            if old_class.id != event_class.id:
                signup.status = SignupStatus.WITHDRAWN  # leave the old class first, so its place counts as free
                signup.save(update_fields=["status"])
                signup.status = _place(event, event_class)
                signup.event_class = event_class
                signup.created_at = now  # the back of the new class's queue
                signup.promoted_at = None
                TeamMember.objects.filter(signup=signup).delete()
            signup.car_id = car_id
            signup.preferred_number = number
            if windows is not None:
                signup.availability = windows
            signup.save()
            if old_class.id != event_class.id:
                promote_waitlist(event=event, event_class=old_class, now=now)
        request_event_sync(event, now)
        signup.event_class = event_class
        notes = [
            *(warnings or []),
            *ownership_warnings(discord_user_id=actor.discord_user_id, car_id=car_id, track_id=event.track_id),
        ]
        return SignupOutcome(
            signup=signup,
            waitlisted=signup.status == SignupStatus.WAITLISTED,
            changed=changed,
            warnings=notes,
            message=_answer(signup, changed=changed, warnings=notes),
        )


def signup_withdraw(*, actor: EventActor, signup_id: int, now: datetime) -> list[Signup]:
    """Withdraw a signup (the member's own; an admin's for anyone) until the race starts; returns who the freed
    place promoted."""
    with transaction.atomic():
        row = Signup.objects.select_related("event").filter(id=signup_id).first()
        if row is None:
            raise EventError("No such signup.")
        event = locked_event(row.event_id, "sheet")
        signup = Signup.objects.select_related("event", "event_class").get(id=signup_id)
        require_change_signup(actor, signup)
        if signup.status == SignupStatus.WITHDRAWN:
            raise EventError("This signup was already withdrawn.")
        if now >= event.race_at:
            raise EventError("The race has started; withdrawing is no longer possible.")
        signup.status = SignupStatus.WITHDRAWN
        signup.withdrawn_at = now
        signup.save(update_fields=["status", "withdrawn_at"])
        TeamMember.objects.filter(signup=signup).delete()
        promoted = promote_waitlist(event=event, event_class=signup.event_class, now=now)
        request_event_sync(event, now)
    return promoted


def signup_withdraw_mine(*, actor: EventActor, event_id: int, now: datetime) -> list[Signup]:
    """Withdraw the actor's own signup of an event (the card's Withdraw button)."""
    if actor.member_id is None:
        raise EventError("You are not signed up for this event.")
    row = (
        Signup.objects.filter(event_id=event_id, member_id=actor.member_id)
        .exclude(status=SignupStatus.WITHDRAWN)
        .first()
    )
    if row is None:
        raise EventError("You are not signed up for this event.")
    return signup_withdraw(actor=actor, signup_id=row.id, now=now)


def promote_waitlist(*, event: Event, event_class: EventClass, now: datetime) -> list[Signup]:
    """Fill the class's free places from its waitlist, oldest first (call with the event row locked)."""
    if event.status not in (EventStatus.OPEN, EventStatus.TEAMS_FINAL) or now >= event.race_at:
        return []
    confirmed = Signup.objects.filter(event_class=event_class, status=SignupStatus.CONFIRMED).count()
    free = event_class.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        Signup.objects.filter(event_class=event_class, status=SignupStatus.WAITLISTED).order_by("created_at", "id")[
            :free
        ]
    )
    for signup in waiting:
        signup.status = SignupStatus.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
    return waiting
