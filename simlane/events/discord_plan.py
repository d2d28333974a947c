"""What an event should look like on Discord at a given moment: names, limits, overwrites and the steps due.

Pure (no Django models, no discord.py): the reconciler in ``events.services.event_discord`` feeds it plain facts
and carries out what it returns. Discord's own rules that the offline Discord does not enforce live here, so
SimLane keeps to them itself: at most 500 channels per server and 50 per category, at most 250 roles, text channel
names normalised as Discord normalises them, Create Events (not Manage Events) for scheduled events.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from simlane.clubs.discord_permissions import PERMISSION_BITS
from simlane.clubs.discord_settings import channel_name_render, text_channel_name

__all__ = ["text_channel_name"]

CHANNELS_PER_SERVER = 500  # Discord error 30013; threads do not count
CHANNELS_PER_CATEGORY = 50
ROLES_PER_SERVER = 250  # Discord error 30005, @everyone included
NAME_MAX = 100  # channel, category, role, thread and scheduled event names
MARKER_PREFIX = "SimLane event"

DEFAULT_RACE_VOICE_HOURS = 24
DEFAULT_ARCHIVE_DELAY_HOURS = 24

VIEW = PERMISSION_BITS["View Channels"]
CONNECT = PERMISSION_BITS["Connect"]
SPEAK = 1 << 21
MOVE = PERMISSION_BITS["Move Members"]
MANAGE_CHANNELS = PERMISSION_BITS["Manage Channels"]


class Step(enum.StrEnum):
    """One piece of an event's Discord side, in the order the reconciler builds them."""

    CATEGORY = "category"
    TEXT_CHANNEL = "text_channel"
    CARD = "card"
    SCHEDULED_EVENT = "scheduled_event"
    TEAM_THREADS = "team_threads"
    TEAM_ROLES = "team_roles"
    PRACTICE_VOICE = "practice_voice"
    RACE_VOICE = "race_voice"
    EVENT_START = "event_start"
    EVENT_END = "event_end"
    ARCHIVE = "archive"


# What each step needs on the server. Scheduled events need Create Events since February 2026 (the offline Discord
# still checks Manage Events, so SimLane checks this itself); private threads need Manage Threads to add members
# and to archive and lock them.
STEP_PERMISSIONS: dict[Step, tuple[str, ...]] = {
    Step.CATEGORY: ("Manage Channels",),
    Step.TEXT_CHANNEL: ("Manage Channels",),
    Step.CARD: ("View Channels", "Send Messages", "Embed Links"),
    Step.SCHEDULED_EVENT: ("Create Events",),
    Step.TEAM_THREADS: ("Manage Threads", "Create Private Threads", "Send Messages in Threads"),
    Step.TEAM_ROLES: ("Manage Roles",),
    Step.PRACTICE_VOICE: ("Manage Channels",),
    Step.RACE_VOICE: ("Manage Channels", "Manage Roles"),
    Step.EVENT_START: ("Create Events",),
    Step.EVENT_END: ("Create Events",),
    Step.ARCHIVE: ("Manage Channels", "Manage Threads"),
}

_WHAT = {
    Step.CATEGORY: "create the event's category",
    Step.TEXT_CHANNEL: "create the event's channel",
    Step.CARD: "post the signup card",
    Step.SCHEDULED_EVENT: "create the Discord event",
    Step.TEAM_THREADS: "create the team threads",
    Step.TEAM_ROLES: "create the team roles",
    Step.PRACTICE_VOICE: "create the practice voice channels",
    Step.RACE_VOICE: "open the race voice channels",
    Step.EVENT_START: "start the Discord event",
    Step.EVENT_END: "end the Discord event",
    Step.ARCHIVE: "tidy the event away",
}


def step_purpose(step: Step) -> str:
    """What the step does, in an admin's words (``create the team roles``)."""
    return _WHAT[step]


def missing_permissions(step: Step, granted: int) -> list[str]:
    """The permissions ``step`` needs that ``granted`` (the bot's server permissions) lacks; Administrator has all."""
    if granted & (1 << 3):
        return []
    return [name for name in STEP_PERMISSIONS[step] if not granted & PERMISSION_BITS[name]]


def permission_problem(step: Step, missing: Sequence[str]) -> str:
    """The dashboard's sentence for a missing permission: what SimLane could not do and what to give it."""
    names = " and ".join(missing)
    return (
        f"SimLane could not {step_purpose(step)}: it needs {names} on this server. Give SimLane's role "
        f"{names} in Server Settings → Roles: SimLane tries again as soon as its role changes (or press “Retry "
        "Discord setup” on the event's page)."
    )


# ---- names -----------------------------------------------------------------------------------------------------


def event_channel_name(pattern: str, values: dict[str, str]) -> str:
    """The event's text channel name: the club's pattern filled in, normalised as Discord will normalise it."""
    return channel_name_render(pattern, values)


def plain_name(text: str, *, fallback: str) -> str:
    """A category, voice channel, role or thread name: case and spaces kept (Discord keeps them), ≤ 100."""
    name = " ".join(text.split())[:NAME_MAX].strip()
    return name or fallback


def category_name(series: str, index: int) -> str:
    """The series category; the second one (when the first holds 50 channels) is ``<series> 2`` and so on."""
    base = plain_name(series, fallback="Events")
    if index <= 1:
        return base
    suffix = f" {index}"
    return base[: NAME_MAX - len(suffix)].rstrip() + suffix


def archive_category_name(index: int = 1) -> str:
    """Where finished event channels go when the club archives instead of deleting."""
    return category_name("Event archive", index)


def team_thread_name(team: str) -> str:
    return plain_name(team, fallback="Team")


def team_role_name(team: str, event_title: str) -> str:
    """A team role is server-wide, so its name carries the event: ``Team Alpha · Spa 24h``."""
    return plain_name(f"{team} · {event_title}", fallback="Team")


def voice_name(team: str, purpose: str) -> str:
    """``Team Alpha practice`` / ``Team Alpha race``."""
    suffix = f" {purpose}"
    return plain_name(team, fallback="Team")[: NAME_MAX - len(suffix)].rstrip() + suffix


def event_marker(event_id: int) -> str:
    """The text SimLane puts in a channel topic or scheduled event description so that, after a crash between
    creating an object and recording it, it finds the object again instead of making a second one."""
    return f"{MARKER_PREFIX} #{event_id}"


def has_marker(text: str | None, event_id: int) -> bool:
    """Whether ``text`` carries this event's marker (and not a longer id's: #1 is not #12)."""
    if not text:
        return False
    marker = event_marker(event_id)
    at = text.find(marker)
    while at != -1:
        end = at + len(marker)
        if end == len(text) or not text[end].isdigit():
            return True
        at = text.find(marker, end)
    return False


# ---- limits ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryUse:
    """One of the series' categories: its number (1, 2, …), Discord id and how many channels it holds now."""

    index: int
    discord_id: int
    channels: int


@dataclass(frozen=True)
class CategoryChoice:
    """Use ``discord_id`` (an existing category) or create category number ``index`` (``discord_id`` None)."""

    index: int
    discord_id: int | None


def category_pick(categories: Iterable[CategoryUse], *, needed: int = 1) -> CategoryChoice:
    """The first category of the series with room for ``needed`` more channels, else the next one to create."""
    known = sorted(categories, key=lambda c: c.index)
    for category in known:
        if category.channels + needed <= CHANNELS_PER_CATEGORY:
            return CategoryChoice(category.index, category.discord_id)
    return CategoryChoice((known[-1].index + 1) if known else 1, None)


class LimitReached(Exception):
    """A Discord limit would be passed; the message names it and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_channel_room(*, channels_now: int, adding: int = 1) -> None:
    """Refuse before asking Discord when the server would pass 500 channels (categories and voice count too)."""
    if channels_now + adding > CHANNELS_PER_SERVER:
        raise LimitReached(
            f"The server has {channels_now} of Discord's {CHANNELS_PER_SERVER} channels, so SimLane cannot add "
            f"{adding} more. Delete unused channels or categories (or let SimLane delete finished event channels "
            "instead of archiving them), then press “Retry Discord setup” on the event's page."
        )


def check_role_room(*, roles_now: int, adding: int = 1) -> None:
    """Refuse before asking Discord when the server would pass 250 roles."""
    if roles_now + adding > ROLES_PER_SERVER:
        what = "a team role" if adding == 1 else f"{adding} team roles"
        raise LimitReached(
            f"The server has {roles_now} of Discord's {ROLES_PER_SERVER} roles, so SimLane cannot add {what}. "
            "Delete unused roles, or turn team roles off in the club's Discord settings, then press “Retry Discord "
            "setup” on the event's page."
        )


# ---- team voice overwrites -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite: ``kind`` is ``role`` or ``member``; allow/deny are permission integers."""

    target_id: int
    kind: str
    allow: int = 0
    deny: int = 0


def team_voice_overwrites(
    *,
    everyone_role_id: int,
    bot_user_id: int,
    admin_role_id: int | None,
    team_role_id: int | None,
    member_ids: Iterable[int],
) -> list[Overwrite]:
    """Only the team and the admins see and connect: @everyone is denied, the team role (or, without team roles,
    each driver) and the server's SimLane admin role are allowed, and so is the bot, which must still see the
    channel to delete it after the event."""
    seats = VIEW | CONNECT | SPEAK
    out = [
        Overwrite(everyone_role_id, "role", deny=VIEW | CONNECT),
        Overwrite(bot_user_id, "member", allow=VIEW | CONNECT | MANAGE_CHANNELS),
    ]
    if admin_role_id is not None:
        out.append(Overwrite(admin_role_id, "role", allow=seats | MOVE))
    if team_role_id is not None:
        out.append(Overwrite(team_role_id, "role", allow=seats))
    else:
        out.extend(Overwrite(m, "member", allow=seats) for m in sorted(set(member_ids)) if m != bot_user_id)
    return out


# ---- timing ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """The club's timing settings for an event's Discord side."""

    race_voice_before: timedelta = timedelta(hours=DEFAULT_RACE_VOICE_HOURS)
    archive_after: timedelta = timedelta(hours=DEFAULT_ARCHIVE_DELAY_HOURS)


@dataclass(frozen=True)
class EventFacts:
    """What the planner needs to know about an event."""

    race_at: datetime
    duration: timedelta
    team: bool
    teams_final: bool
    cancelled: bool = False
    channels_enabled: bool = True
    team_roles: bool = True

    @property
    def ends_at(self) -> datetime:
        return self.race_at + self.duration


@dataclass(frozen=True)
class Plan:
    """The steps due now, in order, and when the next time-driven step falls due (None: nothing more later)."""

    steps: list[Step] = field(default_factory=list)
    next_at: datetime | None = None


def steps_due(facts: EventFacts, timing: Timing, now: datetime) -> Plan:
    """The steps that should have happened by ``now``; the reconciler skips those already recorded."""
    archive_at = facts.ends_at + timing.archive_after
    if facts.cancelled:  # the card says so; tidy away at once (archiving cancels the Discord event too)
        return Plan([Step.CARD, Step.ARCHIVE] if facts.channels_enabled else [Step.CARD, Step.EVENT_END])
    if now >= archive_at and facts.channels_enabled:  # only tidying is left: never make what is about to go
        return Plan([Step.CARD, Step.ARCHIVE])
    steps = [Step.CATEGORY, Step.TEXT_CHANNEL] if facts.channels_enabled else []
    steps += [Step.CARD, Step.SCHEDULED_EVENT]
    voice_at = facts.race_at - timing.race_voice_before
    team_side = facts.team and facts.teams_final and facts.channels_enabled
    if team_side:
        steps.append(Step.TEAM_THREADS)
        if facts.team_roles:
            steps.append(Step.TEAM_ROLES)
        steps.append(Step.PRACTICE_VOICE)
        if now >= voice_at:
            steps.append(Step.RACE_VOICE)
    if now >= facts.race_at:
        steps.append(Step.EVENT_START)
    if now >= facts.ends_at:
        steps.append(Step.EVENT_END)
    later = [facts.race_at, facts.ends_at] + ([archive_at] if facts.channels_enabled else [])
    if team_side:
        later.append(voice_at)
    upcoming = [at for at in later if at > now]
    return Plan(steps, min(upcoming) if upcoming else None)
