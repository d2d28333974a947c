"""Who may do what with a club's events: the one rule for web views, slash commands, buttons and modals.

Built on the clubs' role rule (``clubs.roles.club_role``), so an event admin is exactly a SimLane admin of the club:

- *admins* (owner, Manage Server, or the server's SimLane admin role) create, edit, cancel events, open and close
  the sheet, draft and finalise teams, plan stints, and may withdraw anyone;
- *members* (a ``ClubMember`` row that is still active) see the club's events and sign themselves up or withdraw
  themselves only;
- anyone else (another server's member, someone who left) nothing, and is not even told the event exists.

The interfaces build an ``EventActor`` (the web from its ``ClubAccess``, the bot from the interaction) and call the
``require_*`` functions, which raise ``EventPermissionDenied`` with a message safe to show the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from simlane.clubs.models import ClubRole
from simlane.clubs.roles import club_role, is_admin_role
from simlane.core.errors import ApplicationError

from .models import Event, Signup


class EventPermissionDenied(ApplicationError):
    """The actor may not do this; the message says why in the user's words."""


class EventNotFound(ApplicationError):
    """No such event for this actor (also for another club's event, so ids do not leak across clubs)."""


@dataclass(frozen=True)
class EventActor:
    """Someone acting on a club's events: their club, Discord id, role (None: not a member) and member row."""

    club_id: int
    discord_user_id: int
    role: ClubRole | None
    member_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is not None and is_admin_role(self.role)

    @property
    def is_member(self) -> bool:
        return self.role is not None


def actor_from_discord(
    *,
    club_id: int,
    discord_user_id: int,
    member_id: int | None,
    manage_server: bool,
    owner: bool,
    member_role_ids: list[int],
    admin_role_id: int | None,
) -> EventActor:
    """The actor behind a Discord interaction: without a member row only an admin by Discord's say counts."""
    role = club_role(
        manage_server=manage_server, owner=owner, member_role_ids=member_role_ids, admin_role_id=admin_role_id
    )
    if member_id is None and not is_admin_role(role):
        return EventActor(club_id=club_id, discord_user_id=discord_user_id, role=None)
    return EventActor(club_id=club_id, discord_user_id=discord_user_id, role=role, member_id=member_id)


def can_view(actor: EventActor, event: Event) -> bool:
    return actor.is_member and actor.club_id == event.club_id


def can_manage(actor: EventActor, club_id: int) -> bool:
    return actor.is_admin and actor.club_id == club_id


def require_view(actor: EventActor, event: Event) -> None:
    """Any member of the event's club; others are told it does not exist."""
    if not can_view(actor, event):
        raise EventNotFound("No such event in this club.")


def require_manage(actor: EventActor, club_id: int) -> None:
    """Create, edit, cancel, open/close the sheet, teams and stints: the club's SimLane admins."""
    if actor.club_id != club_id or not actor.is_member:
        raise EventNotFound("No such event in this club.")
    if not actor.is_admin:
        raise EventPermissionDenied(
            "Only this club's SimLane admins (Manage Server or the SimLane admin role) can do that."
        )


def require_member_row(actor: EventActor) -> int:
    """Signing up needs the actor's member row (an admin by Discord's say may have none); returns its id. The card's
    button asks before it opens the signup form, so nobody fills it in to be refused."""
    if actor.member_id is None:
        raise EventPermissionDenied(
            "SimLane does not know you as a member of this server yet; ask an admin to run the member sync."
        )
    return actor.member_id


def require_sign_up(actor: EventActor, event: Event) -> int:
    """A member signs up themselves; returns their member row id."""
    require_view(actor, event)
    return require_member_row(actor)


def require_change_signup(actor: EventActor, signup: Signup) -> None:
    """A member changes or withdraws their own signup; an admin anyone's."""
    require_view(actor, signup.event)
    if actor.is_admin or (actor.member_id is not None and signup.member_id == actor.member_id):
        return
    raise EventPermissionDenied("You can only change your own signup.")
