"""Car-number commands for admins: setup, configuration, force-release, roster sync, audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from simlane.discord_bot import aio as bot_aio
from simlane.discord_bot.bot.checks import (
    AdminRoleError,
    admin_role_problem,
    admin_role_set,
    configuration_command,
    guild_id_of,
)
from simlane.discord_bot.drivers import require_client
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.discord_bot.pages import LinePages
from simlane.racenumbers import aio
from simlane.racenumbers.league import league_sync
from simlane.racenumbers.models import AuditAction, OnLeave
from simlane.racenumbers.numbers import pool_names_parse
from simlane.racenumbers.services import ConfigConflict, NumbersError
from simlane.racenumbers.sync import sync_problem

from ._report import sync_embed
from ._setup_confirm import SetupConfirm
from ._shared import POOL, announce, announcement_channel_check, pool_choices, reply_after_write

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot


class NumbersAdminCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @configuration_command()
    @app_commands.command(name="setup", description="Set up car numbers for this server (admins)")
    @app_commands.describe(
        league_id="iRacing league id whose roster is synced",
        min_number="Lowest number (default 0)",
        max_number="Highest number (default 999)",
        announcements="Channel for claim and release announcements",
        admin_role="Role that may configure SimLane without Manage Server",
        auto_sync_minutes="Sync the roster every N minutes (0: only /sync)",
        leading_zeros_distinct="Treat 07 and 7 as different numbers, as iRacing does (default yes)",
        pools="Comma-separated pools, e.g. GT3, GTP (empty: one pool; at most 25)",
        sync_pools="Pools the iRacing league roster reconciles, comma-separated (servers with pools)",
        on_leave="What happens to the numbers of a member who leaves the server (default: flag)",
    )
    @app_commands.guild_only()
    async def setup(
        self,
        interaction: discord.Interaction,
        league_id: app_commands.Range[int, 1] | None = None,
        min_number: app_commands.Range[int, 0, 999] | None = None,
        max_number: app_commands.Range[int, 0, 999] | None = None,
        announcements: discord.TextChannel | None = None,
        admin_role: discord.Role | None = None,
        auto_sync_minutes: app_commands.Range[int, 0, 1440] | None = None,
        leading_zeros_distinct: bool | None = None,
        pools: str | None = None,
        sync_pools: str | None = None,
        on_leave: Literal["flag", "release", "keep"] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        # Every check runs before anything is saved, so a refused option leaves the whole setup unchanged.
        problem = admin_role_problem(actor_manages_server=interaction.permissions.manage_guild, role=admin_role)
        if admin_role is not None and problem:
            raise AdminRoleError(problem)
        if announcements is not None:
            announcement_channel_check(announcements)
        changes: dict[str, Any] = {
            "league_id": league_id,
            "min_number": min_number,
            "max_number": max_number,
            "announcement_channel_id": announcements.id if announcements else None,
            "auto_sync_minutes": auto_sync_minutes,
            "leading_zeros_distinct": leading_zeros_distinct,
            "pools": None if pools is None else pool_names_parse(pools),
            "sync_pools": None if sync_pools is None else pool_names_parse(sync_pools),
            "on_leave": on_leave,
        }
        try:
            config = await aio.number_config_update(guild_id=guild_id, actor_id=interaction.user.id, **changes)
        except ConfigConflict as conflict:
            view = SetupConfirm(self, interaction.user.id, changes, admin_role, conflict.effects)
            await interaction.response.send_message(
                view.text(), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            view.message = await interaction.original_response()
            return
        if admin_role is not None:
            await admin_role_set(interaction, admin_role)
        await interaction.response.send_message(
            "Saved.\n" + await self.describe(config), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def describe(self, config: Any) -> str:
        role = await bot_aio.guild_admin_role_get(guild_id=config.guild_id)
        synced = ", ".join(discord_safe(p) for p in config.sync_pools) or "no pool chosen (`/setup sync_pools:`)"
        return "\n".join(
            [
                f"League: {config.league_id or 'not set'}",
                f"Numbers: {config.min_number}–{config.max_number}",
                f"07 and 7: {'different numbers' if config.leading_zeros_distinct else 'the same number'}",
                f"Pools: {', '.join(discord_safe(p) for p in config.pools) or 'one pool'}",
                *([f"Roster sync reconciles: {synced}"] if config.pools else []),
                f"Announcements: {f'<#{config.announcement_channel_id}>' if config.announcement_channel_id else 'off'}",
                f"Admin role: {f'<@&{role}>' if role else 'Manage Server only'}",
                f"Members who leave: {OnLeave(config.on_leave).label.lower()}",
                f"Auto-sync: {f'every {config.auto_sync_minutes} min' if config.auto_sync_minutes else 'off'}",
            ]
        )

    @app_commands.command(name="config", description="Show this server's car-number settings")
    @app_commands.guild_only()
    async def config(self, interaction: discord.Interaction) -> None:
        config = await aio.number_config_get(guild_id=guild_id_of(interaction))
        await interaction.response.send_message(
            await self.describe(config), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @configuration_command()
    @app_commands.command(name="forcerelease", description="Free a member's number (admins)")
    @app_commands.describe(number="The number", pool=POOL, reason="Why (kept in the audit log)")
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def forcerelease(
        self, interaction: discord.Interaction, number: str, pool: str | None = None, reason: str = ""
    ) -> None:
        guild_id = guild_id_of(interaction)
        claim = await aio.number_force_release(
            guild_id=guild_id, actor_id=interaction.user.id, number=number, pool=pool, reason=reason
        )
        await reply_after_write(interaction, f"#{claim.number} of <@{claim.discord_user_id}> is free again.")
        await announce(self.bot, guild_id, f"#{claim.number} is free again (released by an admin).")

    @configuration_command()
    @app_commands.command(name="sync", description="Compare claims with the iRacing league roster (admins)")
    @app_commands.guild_only()
    async def sync(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        problem = sync_problem(await aio.number_config_get(guild_id=guild_id))
        if problem:  # before deferring: an error after a deferral would take the place of the public answer
            raise NumbersError(problem)
        # Private: whatever follows (the report, or iRacing refusing the league) is for the admin who asked.
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await league_sync(
            client=require_client(self.bot.iracing),
            guild_id=guild_id,
            actor_id=interaction.user.id,
            now=self.bot.now(),
        )
        await interaction.followup.send(
            embed=sync_embed(report.as_dict(), self.bot.now()), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @configuration_command()
    @app_commands.command(name="auditlog", description="Every car-number change: who, what, when (admins)")
    @app_commands.guild_only()
    async def auditlog(self, interaction: discord.Interaction) -> None:
        entries = await aio.audit_entries(guild_id=guild_id_of(interaction))
        lines = []
        for e in entries:
            who = f"<@{e.actor_id}>" if e.actor_id else "SimLane"
            what = AuditAction(e.action).label
            number = f" #{e.number}" if e.number else ""
            about = f" for <@{e.subject_id}>" if e.subject_id and e.subject_id != e.actor_id else ""
            note = f" — {discord_safe(e.details, limit=80)}" if e.details else ""
            lines.append(f"<t:{int(e.created_at.timestamp())}:f> {who}: {what}{number}{about}{note}")
        view = LinePages(f"Audit log ({len(lines)})", lines, interaction.user.id, empty="Nothing changed yet.")
        await view.send(interaction, ephemeral=True)
