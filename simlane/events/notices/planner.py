"""Claim the notices due at ``now``: each is a ledger row, unique per (event, kind, key), written before any send.

Who gets what:
- Reminders go to the confirmed roster only, never the waitlist: one message in the event channel mentioning
  exactly those members (split in parts of 40 mentions), and a DM to each of them who turned event DMs on.
- The nudge goes once, in the day before the signup cut-off, to the members who have not answered: active members
  of the club's server with no signup at all for the event (confirmed, waitlisted or withdrawn all count as an
  answer), who did not turn nudges off (``ClubMember.event_nudges``), in a club that did not turn them off
  (``ClubDiscordSettings.nudge_unanswered``).
- Stint alerts go in the team's thread, to the stint's driver, at the club's stint offsets.

A kind whose message is split in parts is claimed whole in one transaction, so the roster is frozen once: a member
who signs up later never gets a second copy of a part.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from simlane.clubs.models import ClubDiscordSettings, ClubMember

from .. import reminders as text
from ..models import (
    Event,
    EventDiscordChannel,
    EventNotice,
    EventStatus,
    NoticeKind,
    Signup,
    SignupStatus,
    Stint,
    TeamDiscord,
)

logger = logging.getLogger(__name__)

LIVE = (EventStatus.OPEN, EventStatus.TEAMS_FINAL)
HORIZON = timedelta(days=15)  # reminders are at most 14 days ahead (the settings' limit)


def team_threads(event: Event) -> dict[int, int]:
    """Team id → its private thread, as the event's Discord side recorded it."""
    rows = TeamDiscord.objects.filter(team__event=event, thread_id__isnull=False)
    return {team_id: thread_id for team_id, thread_id in rows.values_list("team_id", "thread_id") if thread_id}


def _nonce() -> str:
    return secrets.token_hex(12)  # 24 characters: Discord allows 25


def event_channel_id(event: Event) -> int | None:
    """The channel an event's messages go to: its own text channel, else where its signup card is."""
    discord: EventDiscordChannel | None = getattr(event, "discord", None)
    if discord is None:
        return None
    return discord.text_channel_id or discord.signup_channel_id


def _settings(event: Event) -> ClubDiscordSettings:
    found = ClubDiscordSettings.objects.filter(club_id=event.club_id).first()
    return found or ClubDiscordSettings(club_id=event.club_id)


def events_to_plan(now: datetime) -> list[Event]:
    return list(
        Event.objects.filter(status__in=LIVE, race_at__gt=now - timedelta(days=2), race_at__lte=now + HORIZON)
        .select_related("club", "discord", "sheet")
        .order_by("race_at", "id")
    )


def _claim_parts(event: Event, kind: str, prefix: str, parts: Sequence[tuple[str, list[int]]], channel: int) -> int:
    """Claim every part of one message at once (or none if it was claimed before)."""
    if not parts or EventNotice.objects.filter(event=event, kind=kind, key__startswith=f"{prefix}:").exists():
        return 0
    try:
        with transaction.atomic():
            EventNotice.objects.bulk_create(
                EventNotice(
                    event=event,
                    kind=kind,
                    key=f"{prefix}:{i}",
                    channel_id=channel,
                    content=content,
                    mention_ids=ids,
                    nonce=_nonce(),
                )
                for i, (content, ids) in enumerate(parts)
            )
    except IntegrityError:  # another process claimed it first
        return 0
    return len(parts)


def _claim_one(event: Event, kind: str, key: str, **fields: object) -> int:
    _, created = EventNotice.objects.get_or_create(
        event=event, kind=kind, key=key, defaults={"nonce": _nonce(), **fields}
    )
    return int(created)


def _confirmed(event: Event) -> list[ClubMember]:
    signups = Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED).select_related("member")
    return [s.member for s in signups.order_by("member__discord_user_id")]


def plan_reminders(event: Event, settings: ClubDiscordSettings, now: datetime) -> int:
    offset = text.due_offset(starts_at=event.race_at, offsets=text.club_offsets(settings.reminder_offsets), now=now)
    channel = event_channel_id(event)
    if offset is None or channel is None:
        return 0
    members = _confirmed(event)
    ids = [m.discord_user_id for m in members]
    chunks = text.mention_chunks(ids) or [[]]
    parts = [
        (text.reminder_text(title=event.title, starts_at=event.race_at, offset=offset, user_ids=c), c) for c in chunks
    ]
    claimed = _claim_parts(event, NoticeKind.REMINDER, str(offset), parts, channel)
    dm = text.reminder_dm_text(title=event.title, club=event.club.name, starts_at=event.race_at, channel_id=channel)
    for member in members:
        if member.event_dms:
            key = f"{offset}:{member.discord_user_id}"
            claimed += _claim_one(event, NoticeKind.REMINDER_DM, key, user_id=member.discord_user_id, content=dm)
    return claimed


def not_answered(event: Event) -> list[int]:
    """Discord ids of the club's active members with no signup for the event who accept nudges."""
    answered = Signup.objects.filter(event=event).values("member_id")
    members = ClubMember.objects.filter(club_id=event.club_id, active=True, event_nudges=True)
    return sorted(members.exclude(id__in=answered).values_list("discord_user_id", flat=True))


def plan_nudge(event: Event, settings: ClubDiscordSettings, now: datetime) -> int:
    sheet = getattr(event, "sheet", None)
    channel = event_channel_id(event)
    if event.status != EventStatus.OPEN or sheet is None or channel is None or not settings.nudge_unanswered:
        return 0
    if not text.nudge_due(closes_at=sheet.closes_at, opens_at=sheet.opens_at, now=now):
        return 0
    if EventNotice.objects.filter(event=event, kind=NoticeKind.NUDGE).exists():
        return 0
    chunks = text.mention_chunks(not_answered(event))
    parts = [(text.nudge_text(title=event.title, closes_at=sheet.closes_at, user_ids=c), c) for c in chunks]
    return _claim_parts(event, NoticeKind.NUDGE, "nudge", parts, channel)


def plan_stint_alerts(event: Event, settings: ClubDiscordSettings, now: datetime) -> int:
    if event.status != EventStatus.TEAMS_FINAL:
        return 0
    offsets = text.club_stint_offsets(settings.stint_alert_offsets)
    stints = Stint.objects.filter(team__event=event, starts_at__gt=now).select_related("team", "driver")
    thread_of = None
    claimed = 0
    for stint in stints.order_by("team_id", "order"):
        offset = text.due_offset(starts_at=stint.starts_at, offsets=offsets, now=now)
        if offset is None:
            continue
        if thread_of is None:
            thread_of = team_threads(event)
        thread = thread_of.get(stint.team_id)
        if thread is None:
            continue
        user = stint.driver.discord_user_id
        content = text.stint_alert_text(
            user_id=user, team=stint.team.name, stint=stint.order, starts_at=stint.starts_at, offset=offset
        )
        key = f"{stint.team_id}:{stint.order}:{offset}"
        claimed += _claim_one(event, NoticeKind.STINT, key, channel_id=thread, content=content, mention_ids=[user])
    return claimed


def notices_plan(*, now: datetime) -> int:
    """Claim every notice due at ``now`` across all clubs; returns how many were claimed."""
    claimed = 0
    for event in events_to_plan(now):
        settings = _settings(event)
        claimed += plan_reminders(event, settings, now)
        claimed += plan_nudge(event, settings, now)
        claimed += plan_stint_alerts(event, settings, now)
    return claimed
