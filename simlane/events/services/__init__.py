"""Writes of club events, one small module per concern: ``events`` (create, edit, cancel, the sheet), ``signups``
(sign up, withdraw, waitlist), ``teams`` (draft, finalise, stints), ``numbers`` (car numbers from the club's pools),
``discord`` (asking the bot to update Discord, recording what it did), ``calendar`` (feed tokens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlane.core.errors import ApplicationError

if TYPE_CHECKING:
    from simlane.events.models import Event


class EventError(ApplicationError):
    """The event change was refused; the message says why, and nothing was changed."""


def locked_event(event_id: int, *related: str) -> Event:
    """The event under a row lock (inside the caller's transaction): every change to an event, its signups or its
    teams takes this lock first, so two of them never interleave (two members racing for the last place)."""
    from simlane.events.models import Event

    rows = Event.objects.select_for_update(of=("self",)).select_related("club", *related)
    event = rows.filter(id=event_id).first()
    if event is None:
        raise EventError("No such event.")
    return event
