"""iCalendar feed addresses: one per club and one per member, each an unguessable token that can be rotated."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from simlane.clubs.models import Club

from ..models import CalendarFeed
from ..permissions import EventActor, EventPermissionDenied

TOKEN_BYTES = 24  # 192 bits, URL-safe: 32 characters


def _feed(club: Club, member_id: int | None) -> CalendarFeed:
    try:
        with transaction.atomic():
            feed, _ = CalendarFeed.objects.get_or_create(
                club=club, member_id=member_id, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
            )
    except IntegrityError:  # made by a concurrent request
        feed = CalendarFeed.objects.get(club=club, member_id=member_id)
    return feed


def calendar_feeds(*, actor: EventActor, club: Club) -> tuple[CalendarFeed | None, CalendarFeed | None]:
    """The club's feed (any member) and the actor's own (members with a row); made on first ask."""
    if actor.club_id != club.id or not actor.is_member:
        raise EventPermissionDenied("Only members of this club have its calendar.")
    club_feed = _feed(club, None)
    mine = _feed(club, actor.member_id) if actor.member_id is not None else None
    return club_feed, mine


def calendar_rotate(*, actor: EventActor, club: Club, which: str) -> CalendarFeed:
    """A new token for the club's feed (admins) or the actor's own; the old address stops working at once."""
    if actor.club_id != club.id or not actor.is_member:
        raise EventPermissionDenied("Only members of this club have its calendar.")
    if which == "club":
        if not actor.is_admin:
            raise EventPermissionDenied("Only this club's SimLane admins can change the club's calendar address.")
        feed = _feed(club, None)
    else:
        if actor.member_id is None:
            raise EventPermissionDenied("SimLane does not know you as a member of this server yet.")
        feed = _feed(club, actor.member_id)
    feed.token = secrets.token_urlsafe(TOKEN_BYTES)
    feed.save(update_fields=["token"])
    return feed
