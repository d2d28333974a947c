"""Reading a server's members from Discord (paged) and handing them to the clubs services."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import discord
from django.utils import timezone

from simlane.clubs import aio
from simlane.clubs.matcher import MatchReport, match_club
from simlane.clubs.membersync import MemberSnapshot
from simlane.clubs.models import DiscordMemberSync
from simlane.core.errors import ApplicationError
from simlane.discord_bot import aio as bot_aio
from simlane.discord_bot.bot.checks import member_club_role
from simlane.iracing.client import IRacingClient

logger = logging.getLogger(__name__)

MEMBERS_INTENT_MISSING = (
    "SimLane cannot read this server's member list: Discord's Server Members Intent is off. The bot's operator has "
    "to enable it (Discord Developer Portal → the application → Bot → Privileged Gateway Intents → Server Members "
    "Intent) and restart SimLane. Nothing was synced."
)


class MemberSyncError(ApplicationError):
    """The member list could not be read; the reason says what to change."""


class SyncRunning(ApplicationError):
    """A sync of this server is already running."""


@dataclass(frozen=True)
class SyncResult:
    sync: DiscordMemberSync
    matching: MatchReport


def snapshot(member: discord.Member, *, admin_role_id: int | None) -> MemberSnapshot:
    return MemberSnapshot(
        discord_user_id=member.id,
        username=member.name,
        display_name=member.display_name,
        nick=member.nick or "",
        role=member_club_role(member, admin_role_id=admin_role_id),
        role_ids=tuple(r.id for r in member.roles if not r.is_default()),
    )


class GuildSyncs:
    """One full sync per server at a time (a slash command and the bot joining may ask together)."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}

    def running(self, guild_id: int) -> bool:
        lock = self._locks.get(guild_id)
        return lock is not None and lock.locked()

    async def run(
        self, client: discord.Client, guild: discord.Guild, iracing: IRacingClient | None, *, wait: bool = False
    ) -> SyncResult:
        """One full sync. An automatic one (start, join) is skipped while another runs; one someone asked for
        (``wait``) runs after it, so they get a list read after their request."""
        if self.running(guild.id) and not wait:
            raise SyncRunning("A member sync of this server is already running; its result will show in a moment.")
        async with self._locks.setdefault(guild.id, asyncio.Lock()):
            return await full_sync(client, guild, iracing)


async def full_sync(client: discord.Client, guild: discord.Guild, iracing: IRacingClient | None) -> SyncResult:
    """Every member of the server, read page by page (1,000 a request), made the club's members; then matching."""
    started_at, t0 = timezone.now(), time.perf_counter()
    if not client.intents.members:
        await aio.member_sync_failed(guild_id=guild.id, name=guild.name, error=MEMBERS_INTENT_MISSING)
        raise MemberSyncError(MEMBERS_INTENT_MISSING)
    admin_role_id = await bot_aio.guild_admin_role_get(guild_id=guild.id)
    members: list[MemberSnapshot] = []
    try:
        async for member in guild.fetch_members(limit=None):
            if not member.bot:
                members.append(snapshot(member, admin_role_id=admin_role_id))
    except discord.Forbidden as exc:
        # Discord refuses the list with 50001 Missing Access when the intent is not enabled for the application.
        logger.warning("guild %s: member list refused: %s", guild.id, exc)
        await aio.member_sync_failed(guild_id=guild.id, name=guild.name, error=MEMBERS_INTENT_MISSING)
        raise MemberSyncError(MEMBERS_INTENT_MISSING) from None
    except discord.HTTPException as exc:
        error = f"Discord did not send the member list ({exc.status}). Nothing was synced; try again later."
        await aio.member_sync_failed(guild_id=guild.id, name=guild.name, error=error)
        raise MemberSyncError(error) from None
    duration_ms = int((time.perf_counter() - t0) * 1000)
    sync = await aio.member_sync_full(
        guild_id=guild.id, name=guild.name, members=members, started_at=started_at, duration_ms=duration_ms
    )
    club = await aio.club_for_guild(guild.id)
    assert club is not None  # member_sync_full made it
    report = await match_club(club=club, client=iracing)
    await aio.member_sync_matched(sync_id=sync.pk, proposals=report.proposals, conflicts=report.conflicts)
    sync.proposals, sync.conflicts = report.proposals, report.conflicts
    return SyncResult(sync, report)
