"""When an event's reminders, nudge and stint alerts are due, and what they say. Pure: times in, choices out.

A reminder offset is due from ``race_at - offset`` until the next (shorter) offset's time: a bot that was down
through several offsets sends only the latest one when it comes back, never a burst of stale reminders, and an
event created 3 hours before its start gets the 1-hour reminder only. The ledger (``EventNotice``) makes each one
exactly once; these functions only say which one is current.

Text carries Discord timestamps (``<t:epoch:F>`` and ``<t:epoch:R>``), so every reader sees their own local time.
User text (event titles, team names) is escaped; mentions are built from ids, never from names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from simlane.clubs.discord_settings import DEFAULT_REMINDERS, DEFAULT_STINT_ALERTS
from simlane.discord_bot.escaping import discord_safe

NUDGE_BEFORE = timedelta(hours=24)  # the nudge goes this long before the signup cut-off (or at once when later)
NUDGE_MIN_OPEN = timedelta(hours=1)  # a sheet that closes sooner than this after the nudge would be due: no nudge
MESSAGE_MAX = 2000  # Discord's limit for a message's text
MENTIONS_PER_MESSAGE = 40  # a message naming more members is split (each part is its own exactly-once notice)
TITLE_MAX = 100


def discord_time(when: datetime, style: str = "F") -> str:
    """A Discord timestamp: every reader sees it in their own time zone (``R``: relative, "in 2 hours")."""
    return f"<t:{int(when.timestamp())}:{style}>"


def due_offset(*, starts_at: datetime, offsets: Iterable[int], now: datetime) -> int | None:
    """The offset (minutes before ``starts_at``) whose reminder is current at ``now``; None before the first or
    after the start."""
    if now >= starts_at:
        return None
    current = None
    for offset in sorted(set(offsets), reverse=True):
        if now >= starts_at - timedelta(minutes=offset):
            current = offset
    return current


def club_offsets(configured: Sequence[int] | None) -> list[int]:
    """The club's reminder offsets, or the defaults (24 h and 1 h) for a club that never changed them."""
    return sorted(configured if configured is not None else DEFAULT_REMINDERS, reverse=True)


def club_stint_offsets(configured: Sequence[int] | None) -> list[int]:
    """The club's stint alert offsets, or the default (15 minutes)."""
    return sorted(configured if configured is not None else DEFAULT_STINT_ALERTS, reverse=True)


def nudge_due(*, closes_at: datetime | None, opens_at: datetime | None, now: datetime) -> bool:
    """Whether the "you have not answered" nudge is due: within ``NUDGE_BEFORE`` of the cut-off, while the sheet is
    open, and not in the last ``NUDGE_MIN_OPEN`` (too late to be useful)."""
    if closes_at is None or now >= closes_at - NUDGE_MIN_OPEN:
        return False
    if opens_at is not None and now < opens_at:
        return False
    return now >= closes_at - NUDGE_BEFORE


def offset_label(minutes: int) -> str:
    """``1440`` as "24 hours", ``90`` as "90 minutes"."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def mention_chunks(user_ids: Sequence[int], size: int = MENTIONS_PER_MESSAGE) -> list[list[int]]:
    """Member ids in messages of at most ``size`` mentions (so no message passes 2,000 characters)."""
    ordered = sorted(set(user_ids))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def mentions(user_ids: Iterable[int]) -> str:
    return " ".join(f"<@{uid}>" for uid in user_ids)


def reminder_text(*, title: str, starts_at: datetime, offset: int, user_ids: Sequence[int]) -> str:
    """The channel reminder: the event, its start in everyone's local time, the confirmed drivers mentioned."""
    head = (
        f"⏰ **{discord_safe(title, limit=TITLE_MAX)}** starts {discord_time(starts_at, 'R')} "
        f"({discord_time(starts_at)})."
    )
    if not user_ids:
        return head
    return f"{head}\nConfirmed drivers: {mentions(user_ids)}"


def reminder_dm_text(*, title: str, club: str, starts_at: datetime, channel_id: int | None) -> str:
    """The DM version, for members who asked for DMs; says how to turn them off."""
    where = f" Details in <#{channel_id}>." if channel_id else ""
    return (
        f"⏰ You are racing in **{discord_safe(title, limit=TITLE_MAX)}** ({discord_safe(club, limit=TITLE_MAX)}) "
        f"{discord_time(starts_at, 'R')}, {discord_time(starts_at)}.{where}\n"
        "You get this because you turned on event DMs; `/reminders dm:False` turns them off."
    )


def nudge_text(*, title: str, closes_at: datetime, user_ids: Sequence[int]) -> str:
    """The nudge to members who have not answered, with how to stop getting nudged."""
    return (
        f"📋 Signups for **{discord_safe(title, limit=TITLE_MAX)}** close {discord_time(closes_at, 'R')} "
        f"({discord_time(closes_at)}). Not answered yet: {mentions(user_ids)}\n"
        "Sign up or say you can't with the buttons on the signup card. `/reminders nudge:False` stops these."
    )


def stint_alert_text(*, user_id: int, team: str, stint: int, starts_at: datetime, offset: int) -> str:
    """The team thread's "you are up" alert for one stint."""
    return (
        f"🔔 <@{user_id}>, you are up in {offset_label(offset)}: stint {stint} for "
        f"**{discord_safe(team, limit=TITLE_MAX)}** starts {discord_time(starts_at, 'R')} "
        f"({discord_time(starts_at, 't')})."
    )
