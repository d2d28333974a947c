"""Writes of the event reconciler: each Discord object recorded the moment it exists, progress and status.

Every function writes one small thing and is safe to repeat, so the reconciler can call it again after a crash.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from simlane.clubs.models import Club

from ..models import (
    DiscordObjectStatus,
    Event,
    EventCategory,
    EventDiscordChannel,
    EventDiscordProgress,
    TeamDiscord,
)
from ..permissions import EventActor, require_manage

EVENT_FIELDS = frozenset({"category_id", "text_channel_id", "signup_message_id", "signup_channel_id",
                          "scheduled_event_id"})  # fmt: skip
TEAM_FIELDS = frozenset({"thread_id", "role_id", "practice_voice_id", "race_voice_id"})
PROGRESS_FIELDS = frozenset({"started_at", "ended_at", "archived_at"})


def event_object_record(*, event_id: int, field: str, discord_id: int | None) -> None:
    """Record (or, with None, forget) one of the event's Discord objects."""
    if field not in EVENT_FIELDS:
        raise ValueError(field)
    EventDiscordChannel.objects.get_or_create(event_id=event_id)
    EventDiscordChannel.objects.filter(event_id=event_id).update(**{field: discord_id})


def team_object_record(*, team_id: int, field: str, discord_id: int | None) -> None:
    """Record (or forget) one of a team's Discord objects; forgetting the thread forgets who was added too."""
    if field not in TEAM_FIELDS:
        raise ValueError(field)
    TeamDiscord.objects.get_or_create(team_id=team_id)
    changes: dict[str, object] = {field: discord_id}
    if field == "thread_id":
        changes["thread_member_ids"] = []
    if field == "role_id":
        changes["role_member_ids"] = []
    TeamDiscord.objects.filter(team_id=team_id).update(**changes)


@transaction.atomic
def team_member_record(*, team_id: int, field: str, user_id: int) -> None:
    """Record that a driver was added to the team's thread (``thread``) or given its role (``role``)."""
    row, _ = TeamDiscord.objects.select_for_update().get_or_create(team_id=team_id)
    ids: list[int] = row.thread_member_ids if field == "thread" else row.role_member_ids
    if user_id not in ids:
        ids.append(user_id)
        row.save(update_fields=["thread_member_ids" if field == "thread" else "role_member_ids"])


def category_record(*, club_id: int, label: str, index: int, archive: bool, discord_id: int | None) -> None:
    """Record the series' category number ``index`` (None: it was deleted on Discord, forget it)."""
    if discord_id is None:
        EventCategory.objects.filter(club_id=club_id, label=label, archive=archive, index=index).delete()
        return
    EventCategory.objects.update_or_create(
        club=Club.objects.get(id=club_id),
        label=label,
        archive=archive,
        index=index,
        defaults={"discord_id": discord_id},
    )


def progress_record(*, event_id: int, field: str, at: datetime) -> None:
    """Record that a time-driven step (start, end, archive) happened at ``at``; the first record stays."""
    if field not in PROGRESS_FIELDS:
        raise ValueError(field)
    EventDiscordProgress.objects.get_or_create(event_id=event_id)
    EventDiscordProgress.objects.filter(event_id=event_id, **{f"{field}__isnull": True}).update(**{field: at})


def status_record(*, event_id: int, status: str, detail: str, next_due_at: datetime | None) -> None:
    """What the dashboard shows (ready, pending with what is left, blocked with what to fix) and when to look next."""
    EventDiscordChannel.objects.get_or_create(event_id=event_id)
    EventDiscordChannel.objects.filter(event_id=event_id).update(status=status, status_detail=detail[:500])
    EventDiscordProgress.objects.get_or_create(event_id=event_id)
    EventDiscordProgress.objects.filter(event_id=event_id).update(next_due_at=next_due_at)
    if status == DiscordObjectStatus.ARCHIVED:
        Event.objects.filter(id=event_id).exclude(status="cancelled").update(status="archived")


def event_discord_retry(*, actor: EventActor, event_id: int, now: datetime) -> None:
    """An admin fixed what blocked the event's Discord side: mark it pending and queue one sync (coalesced)."""
    from ..services.discord import request_event_sync

    event = Event.objects.select_related("club").get(id=event_id)
    require_manage(actor, event.club_id)
    status_record(event_id=event_id, status=DiscordObjectStatus.PENDING, detail="Trying again…", next_due_at=None)
    request_event_sync(event, now)
