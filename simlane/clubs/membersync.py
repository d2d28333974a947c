"""Keeping ``ClubMember`` current from Discord: full syncs, live member events, the bot joining and leaving.

The bot reads Discord and hands plain ``MemberSnapshot`` rows here (role already derived by the bot's one set of
permission rules); everything in this module is database work, so the dashboard can show it and tests can run it
without a bot. A full sync is idempotent: the same member list twice changes nothing the second time.

Timestamps are the database's own clock (``timezone.now``), also for ``started_at``, which the bot takes before it
lists the members: comparing it with rows written by live events needs one clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import services
from .models import Club, ClubMember, ClubRole, DiscordCredential, DiscordMemberSync, SyncKind

log = logging.getLogger(__name__)

# The fields a sync compares and writes; anything else on ClubMember belongs to someone else.
SYNCED_FIELDS = ("username", "display_name", "nick", "role", "role_ids", "user_id", "active", "left_at")


@dataclass(frozen=True)
class MemberSnapshot:
    """One Discord member as the bot saw them (bots are left out before this point)."""

    discord_user_id: int
    username: str
    display_name: str
    nick: str
    role: ClubRole
    # The member's Discord roles: the web decides a delegated admin (the SimLane admin role) from them.
    role_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SyncCounts:
    seen: int = 0
    added: int = 0
    updated: int = 0
    left: int = 0


def _site_users(discord_ids: list[int]) -> dict[int, int]:
    """Site users by Discord id: exact, from the Discord login (never guessed from names)."""
    return dict(
        DiscordCredential.objects.filter(discord_user_id__in=discord_ids).values_list("discord_user_id", "user_id")
    )


def _apply(member: ClubMember, snap: MemberSnapshot, user_id: int | None) -> bool:
    """Copy what Discord says onto ``member``; whether anything changed. A login already recorded is kept."""
    wanted = {
        "username": snap.username[:100],
        "display_name": snap.display_name[:100],
        "nick": snap.nick[:100],
        "role": snap.role,
        "role_ids": sorted(snap.role_ids),
        "user_id": user_id if user_id is not None else member.user_id,
        "active": True,
        "left_at": None,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(member, name) != value:
            setattr(member, name, value)
            changed = True
    return changed


@transaction.atomic
def member_sync_full(
    *, guild_id: int, name: str, members: list[MemberSnapshot], started_at: datetime, duration_ms: int
) -> DiscordMemberSync:
    """Make the club's members exactly the listed ones, and record the sync.

    ``started_at`` is when the bot began listing: a member who left or joined while the pages were being read was
    handled by the live events, which are newer than the list, so the list does not undo them.
    """
    finished_at = timezone.now()
    club = services.club_seen(guild_id=guild_id, name=name)
    by_id = {m.discord_user_id: m for m in members}
    users = _site_users(list(by_id))
    existing = {m.discord_user_id: m for m in ClubMember.objects.select_for_update().filter(club=club)}
    added: list[ClubMember] = []
    changed: list[ClubMember] = []
    rejoined = 0
    for discord_id, snap in by_id.items():
        row = existing.get(discord_id)
        if row is None:
            row = ClubMember(club=club, discord_user_id=discord_id)
            _apply(row, snap, users.get(discord_id))
            added.append(row)
            continue
        if not row.active and row.left_at is not None and row.left_at >= started_at:
            continue  # left after this list was read
        was_active = row.active
        if _apply(row, snap, users.get(discord_id)):
            row.updated_at = finished_at
            changed.append(row)
            rejoined += not was_active
    gone = [
        row
        for discord_id, row in existing.items()
        if row.active and discord_id not in by_id and row.updated_at < started_at  # joined after the list was read
    ]
    for row in gone:
        row.active, row.left_at, row.updated_at = False, finished_at, finished_at
    ClubMember.objects.bulk_create(added, batch_size=500)
    ClubMember.objects.bulk_update(changed + gone, [*SYNCED_FIELDS, "updated_at"], batch_size=500)
    counts = SyncCounts(seen=len(by_id), added=len(added) + rejoined, updated=len(changed) - rejoined, left=len(gone))
    sync = DiscordMemberSync.objects.create(
        club=club,
        kind=SyncKind.FULL,
        started_at=started_at,
        finished_at=finished_at,
        duration_ms=duration_ms,
        seen=counts.seen,
        added=counts.added,
        updated=counts.updated,
        left=counts.left,
    )
    log.info("member sync of %s: %s", guild_id, counts)
    return sync


def member_sync_failed(*, guild_id: int, name: str, error: str) -> DiscordMemberSync:
    """Record a full sync that could not read the member list, with the reason an admin can act on."""
    club = services.club_seen(guild_id=guild_id, name=name)
    return DiscordMemberSync.objects.create(club=club, kind=SyncKind.FULL, started_at=timezone.now(), error=error[:500])


def member_sync_matched(*, sync_id: int, proposals: int, conflicts: int) -> None:
    """Note on a full sync what the iRacing matching that followed it left open."""
    DiscordMemberSync.objects.filter(pk=sync_id).update(proposals=proposals, conflicts=conflicts)


def _live_record(club: Club, now: datetime) -> DiscordMemberSync:
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    record, _ = DiscordMemberSync.objects.get_or_create(
        club=club, kind=SyncKind.LIVE, started_at=day_start, defaults={"finished_at": now}
    )
    return record


def _count_live(club: Club, now: datetime, field: str) -> None:
    record = _live_record(club, now)
    DiscordMemberSync.objects.filter(pk=record.pk).update(**{field: F(field) + 1}, seen=F("seen") + 1, finished_at=now)


@transaction.atomic
def member_live_upsert(*, guild_id: int, guild_name: str, member: MemberSnapshot) -> str:
    """A member joined or changed (nickname, roles): 'added', 'updated' or 'unchanged'."""
    now = timezone.now()
    club = services.club_seen(guild_id=guild_id, name=guild_name)
    row = ClubMember.objects.select_for_update().filter(club=club, discord_user_id=member.discord_user_id).first()
    users = _site_users([member.discord_user_id])
    if row is None:
        row = ClubMember(club=club, discord_user_id=member.discord_user_id)
        _apply(row, member, users.get(member.discord_user_id))
        row.save()
        outcome = "added"
    else:
        was_active = row.active
        if not _apply(row, member, users.get(member.discord_user_id)):
            return "unchanged"
        row.save(update_fields=[*SYNCED_FIELDS, "updated_at"])
        outcome = "updated" if was_active else "added"
    _count_live(club, now, outcome)
    return outcome


@transaction.atomic
def member_live_leave(*, guild_id: int, discord_user_id: int) -> bool:
    """A member left (or was kicked or banned): keep the row, mark it left. Whether an active member was found."""
    now = timezone.now()
    club = Club.objects.filter(guild_id=guild_id).first()
    if club is None:
        return False
    done = (
        ClubMember.objects.filter(club=club, discord_user_id=discord_user_id, active=True).update(
            active=False, left_at=now, updated_at=now
        )
        > 0
    )
    if done:
        _count_live(club, now, "left")
    return done
