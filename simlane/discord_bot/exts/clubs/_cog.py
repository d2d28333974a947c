"""Member sync listeners and the ``/members`` commands (thin: read Discord, call the clubs facade, reply)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.clubs import aio
from simlane.clubs.models import Club, MemberProposal
from simlane.clubs.proposals import ProposalError
from simlane.discord_bot import aio as bot_aio
from simlane.discord_bot.bot.checks import configuration_command, guild_id_of, is_admin
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.discord_bot.pages import LinePages

from ._sync import GuildSyncs, MemberSyncError, SyncResult, SyncRunning, snapshot

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)


def _candidates(p: MemberProposal) -> str:
    return ", ".join(f"{discord_safe(str(c['display_name']), limit=60)} (`{c['cust_id']}`)" for c in p.candidates)


def sync_summary(result: SyncResult) -> str:
    s, m = result.sync, result.matching
    lines = [
        f"Synced {s.seen} members in {s.duration_ms / 1000:.1f} s: {s.added} added, {s.updated} updated, "
        f"{s.left} left.",
        f"iRacing: {m.proposals} proposals to confirm, {m.conflicts} conflicts (`/members review`).",
    ]
    if m.unchecked:
        lines.append(f"{m.unchecked} members not checked against iRacing yet: the next sync continues.")
    if m.roster_error or m.lookup_error:
        lines.append("iRacing did not answer every question; the next sync tries again.")
    return "\n".join(lines)


async def _club(interaction: discord.Interaction) -> Club:
    club = await aio.club_for_guild(guild_id_of(interaction))
    if club is None:
        raise ProposalError("This server has no member list in SimLane yet: an admin can run `/members sync`.")
    return club


class MembersCog(commands.Cog):
    members = app_commands.Group(name="members", description="Club members and their iRacing accounts", guild_only=True)

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self.syncs = GuildSyncs()

    # -- listeners: the bot joining and leaving, and live member changes ---------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # Member events that happened while SimLane was offline are lost: read every server again, one at a time.
        # (on_ready also follows a reconnect that missed events, where reading again is just as right.)
        for guild in list(self.bot.guilds):
            await self._joined(guild)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._joined(guild)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        # A server back from an outage: member events were missed meanwhile, so it is read again in full. (simcord
        # marks every new server "available" rather than "joined"; either way the server is read.)
        await self._joined(guild)

    async def _joined(self, guild: discord.Guild) -> None:
        await aio.club_seen(guild_id=guild.id, name=guild.name)
        try:
            await self.syncs.run(self.bot, guild, self.bot.iracing)
        except (MemberSyncError, SyncRunning) as exc:
            logger.warning("guild %s: member sync on join: %s", guild.id, exc)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await aio.club_mark_inactive(guild_id=guild.id)

    async def _live(self, member: discord.Member) -> None:
        if member.bot:
            return
        admin_role_id = await bot_aio.guild_admin_role_get(guild_id=member.guild.id)
        await aio.member_live_upsert(
            guild_id=member.guild.id,
            guild_name=member.guild.name,
            member=snapshot(member, admin_role_id=admin_role_id),
        )

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self._live(member)

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if (before.nick, before.display_name, before.name, before.roles) != (
            after.nick,
            after.display_name,
            after.name,
            after.roles,
        ):
            await self._live(after)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        # The raw event: the member may not be cached, and leaving must be recorded all the same.
        await aio.member_live_leave(guild_id=payload.guild_id, discord_user_id=payload.user.id)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        # Giving a role Manage Server (or taking it away) changes who the club's admins are.
        if before.permissions != after.permissions:
            for member in after.members:
                await self._live(member)

    # -- commands ----------------------------------------------------------------------------------------------

    @configuration_command()
    @members.command(name="sync", description="Read every member of this server now and propose iRacing accounts")
    async def sync(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        if guild is None:
            guild_id_of(interaction)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.syncs.run(self.bot, guild, self.bot.iracing, wait=True)
        await interaction.followup.send(sync_summary(result), ephemeral=True)

    @configuration_command()
    @members.command(name="review", description="Open iRacing proposals and conflicts, page by page")
    async def review(self, interaction: discord.Interaction) -> None:
        club = await _club(interaction)
        proposals = await aio.member_proposals(club)
        conflicts = await aio.member_conflicts(club)
        lines = [f"✅ <@{p.member.discord_user_id}> → {_candidates(p)}" for p in proposals]
        for c in conflicts:
            who = ", ".join(f"<@{p.member.discord_user_id}>" for p in c.proposals)
            lines.append(f"⚠️ {who}: {c.description} — {_candidates(c.proposals[0])}")
        view = LinePages(
            f"iRacing proposals ({len(proposals)}) and conflicts ({len(conflicts)})",
            lines,
            interaction.user.id,
            empty="Nothing open: run `/members sync` to look again.",
            hint="/members confirm or /members reject",
        )
        await interaction.response.send_message(
            embed=view.embed(), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @members.command(name="me", description="The iRacing account SimLane proposes for you")
    async def me(self, interaction: discord.Interaction) -> None:
        club = await _club(interaction)
        proposal = await aio.member_proposal_of(club, interaction.user.id)
        if proposal is None:
            text = "SimLane has no iRacing proposal for you. `/link` your account yourself."
        elif proposal.cust_id is None:
            text = (
                f"Your nickname matches several iRacing drivers: {_candidates(proposal)}. "
                "Confirm yours with `/members confirm driver:<customer id>`."
            )
        else:
            text = f"Are you {_candidates(proposal)}? `/members confirm` if so, `/members reject` if not."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @members.command(name="confirm", description="Confirm an iRacing proposal (yours, or any member's as an admin)")
    @app_commands.describe(
        member="Whose proposal (admins only; leave empty for your own)",
        driver="The customer id, when the nickname matched several drivers",
    )
    async def confirm(
        self, interaction: discord.Interaction, member: discord.User | None = None, driver: int | None = None
    ) -> None:
        club = await _club(interaction)
        subject = member.id if member is not None else interaction.user.id
        link = await aio.proposal_confirm(
            club=club,
            member_discord_id=subject,
            actor_discord_id=interaction.user.id,
            actor_is_admin=await is_admin(interaction),
            cust_id=driver,
        )
        await interaction.response.send_message(
            f"<@{subject}> is linked to {discord_safe(link.iracing_name, limit=80)} (`{link.cust_id}`), **not "
            "verified yet**: signing in with iRacing, or the league roster, verifies it.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @members.command(name="reject", description="Reject an iRacing proposal (yours, or any member's as an admin)")
    @app_commands.describe(member="Whose proposal (admins only; leave empty for your own)")
    async def reject(self, interaction: discord.Interaction, member: discord.User | None = None) -> None:
        club = await _club(interaction)
        subject = member.id if member is not None else interaction.user.id
        await aio.proposal_reject(
            club=club,
            member_discord_id=subject,
            actor_discord_id=interaction.user.id,
            actor_is_admin=await is_admin(interaction),
        )
        await interaction.response.send_message(
            f"Rejected: SimLane will not propose that account for <@{subject}> again.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
