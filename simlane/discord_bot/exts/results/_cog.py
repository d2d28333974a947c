"""Slash commands of the results feature (thin: they resolve input, call the results app's async facade, reply)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.core.errors import ApplicationError
from simlane.discord_bot.bot.checks import admin_role_set, configuration_command, guild_id_of
from simlane.discord_bot.drivers import driver_autocomplete, require_client, resolve_driver
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.discord_bot.pages import LinePages
from simlane.results import aio
from simlane.results.embeds import render_result_embed
from simlane.results.models import ResultsMode
from simlane.results.poller.ingest import SubsessionFetcher
from simlane.results.samples import sample_result

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

NO_CHANNEL_HINT = " No results channel is set yet: an admin can use `/results channel`."


class ResultsCommandError(ApplicationError):
    pass


class ResultsCog(commands.Cog):
    results = app_commands.Group(name="results", description="Race results posted to this server", guild_only=True)

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self.fetcher = SubsessionFetcher(bot.iracing) if bot.iracing else None

    # -- tracking (any member) ----------------------------------------------------------------------------------

    @app_commands.command(name="track", description="Post this driver's finished races in this server")
    @app_commands.describe(driver="A driver's name (pick from the list) or iRacing customer id")
    @app_commands.autocomplete(driver=driver_autocomplete)
    @app_commands.guild_only()
    async def track(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await resolve_driver(require_client(self.bot.iracing), driver)
        _row, created = await aio.tracked_driver_add(
            guild_id=guild_id,
            cust_id=found.cust_id,
            display_name=found.display_name,
            added_by=interaction.user.id,
            now=self.bot.now(),
        )
        name = discord_safe(found.display_name, limit=100)
        if not created:
            await interaction.followup.send(f"{name} (`{found.cust_id}`) is already tracked here.", ephemeral=True)
            return
        config = await aio.results_config_get(guild_id=guild_id)
        hint = (
            ""
            if config and config.channel_id
            else " No results channel is set yet: an admin can use `/results channel`."
        )
        await interaction.followup.send(
            f"Tracking {name} (`{found.cust_id}`): races they finish from now on will be posted.{hint}", ephemeral=True
        )

    @app_commands.command(name="untrack", description="Stop posting this driver's races in this server")
    @app_commands.describe(driver="A tracked driver")
    @app_commands.guild_only()
    async def untrack(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id = guild_id_of(interaction)
        if not driver.strip().isdigit():
            raise ResultsCommandError("Pick the driver from the list, or give their iRacing customer id (digits only).")
        row = await aio.tracked_driver_get(guild_id=guild_id, cust_id=int(driver))
        if row is None:
            raise ResultsCommandError(f"Customer id {int(driver)} is not tracked in this server.")
        member_perms = interaction.permissions
        if row.added_by not in (None, interaction.user.id) and not member_perms.manage_guild:
            raise ResultsCommandError(
                "Only the member who tracked this driver, or someone with Manage Server, can untrack them."
            )
        await aio.tracked_driver_remove(guild_id=guild_id, cust_id=row.cust_id)
        await interaction.response.send_message(
            f"Stopped tracking {discord_safe(row.display_name, limit=100)} (`{row.cust_id}`).", ephemeral=True
        )

    @untrack.autocomplete("driver")
    async def _untrack_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        folded = current.casefold()
        rows = await aio.tracked_driver_list(guild_id=interaction.guild_id)
        return [
            app_commands.Choice(name=f"{r.display_name} ({r.cust_id})"[:100], value=str(r.cust_id))
            for r in rows
            if folded in r.display_name.casefold() or current in str(r.cust_id)
        ][:25]

    @app_commands.command(name="tracked", description="List the drivers this server tracks")
    @app_commands.guild_only()
    async def tracked(self, interaction: discord.Interaction) -> None:
        rows = await aio.tracked_driver_list(guild_id=guild_id_of(interaction))
        lines = [f"• {discord_safe(r.display_name, limit=80)} — `{r.cust_id}`" for r in rows]
        view = LinePages(
            f"Tracked drivers ({len(rows)})",
            lines,
            interaction.user.id,
            empty="Nobody yet.",
            hint="/track adds a driver, /untrack removes one",
        )
        await view.send(interaction, ephemeral=True)

    # -- configuration (Manage Server, checked here on every call, not only hidden in Discord's UI) ---------------

    @configuration_command()
    @results.command(name="channel", description="Post race results in this channel (admins)")
    @app_commands.describe(channel="The text channel for result posts")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild_id = guild_id_of(interaction)
        me = channel.guild.me
        perms = channel.permissions_for(me)
        missing = [
            n
            for n, ok in (
                ("View Channel", perms.view_channel),
                ("Send Messages", perms.send_messages),
                ("Embed Links", perms.embed_links),
            )
            if not ok
        ]
        if missing:
            raise ResultsCommandError(f"I can't post in {channel.mention}: I need {', '.join(missing)} there.")
        await aio.results_channel_set(guild_id=guild_id, channel_id=channel.id)
        pending = await aio.posts_pending_count(guild_id=guild_id)
        extra = f" {pending} result(s) waiting will be posted there now." if pending else ""
        await interaction.response.send_message(
            f"Race results will be posted in {channel.mention}.{extra}", ephemeral=True
        )

    @configuration_command()
    @results.command(name="mode", description="Choose which races are posted (admins)")
    @app_commands.describe(
        races="Official races only, or official and unofficial",
        hosted="Also post hosted sessions",
        league="Also post league sessions",
    )
    @app_commands.choices(races=[app_commands.Choice(name=label, value=value) for value, label in ResultsMode.choices])
    async def mode(
        self,
        interaction: discord.Interaction,
        races: app_commands.Choice[str],
        hosted: bool | None = None,
        league: bool | None = None,
    ) -> None:
        config = await aio.results_mode_set(
            guild_id=guild_id_of(interaction),
            mode=ResultsMode(races.value),
            include_hosted=hosted,
            include_league=league,
        )
        extras = [n for n, on in (("hosted", config.include_hosted), ("league", config.include_league)) if on]
        await interaction.response.send_message(
            f"Posting: {ResultsMode(config.mode).label.lower()}"
            + (f", plus {' and '.join(extras)} sessions." if extras else "."),
            ephemeral=True,
        )

    # Discord cannot hide one subcommand of a group, so this check is the only gate, and it runs here.
    @results.command(
        name="adminrole",
        description="Let a role configure SimLane without Manage Server",
        extras={"needs": ["Manage Server"]},
    )
    @app_commands.describe(role="The role; leave it out to allow Manage Server only")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def adminrole(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        await admin_role_set(interaction, role)
        text = f"Members with {role.mention} can now configure SimLane here." if role else "Only Manage Server now."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @results.command(name="status", description="Show where and what this server's results are posted")
    async def status(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        config = await aio.results_config_get(guild_id=guild_id)
        tracked = await aio.tracked_driver_list(guild_id=guild_id)
        pending = await aio.posts_pending_count(guild_id=guild_id)
        if config is None or config.channel_id is None:
            where = "no channel set (an admin can use `/results channel`)"
        else:
            where = f"<#{config.channel_id}>"
            if config.status != "ok":
                where += f" — **not posting**: {discord_safe(config.status_reason)}. Set a channel again to resume."
        mode = ResultsMode(config.mode).label if config else ResultsMode.ALL.label
        await interaction.response.send_message(
            f"Channel: {where}\nRaces: {mode}\nTracked drivers: {len(tracked)}\nWaiting to be posted: {pending}",
            ephemeral=True,
        )

    # -- on demand -------------------------------------------------------------------------------------------------

    @results.command(name="last", description="Post a driver's latest race here, now")
    @app_commands.describe(driver="A driver's name (pick from the list) or iRacing customer id")
    @app_commands.autocomplete(driver=driver_autocomplete)
    async def last(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id_of(interaction)
        client = require_client(self.bot.iracing)
        await interaction.response.defer(thinking=True)
        found = await resolve_driver(client, driver)
        recent = await client.member_recent_races(found.cust_id)
        if not recent.races or self.fetcher is None:
            raise ResultsCommandError(f"{discord_safe(found.display_name, limit=100)} has no recent official races.")
        result = await self.fetcher.get(recent.races[0].subsession_id)
        if result is None:
            raise ResultsCommandError("iRacing has not published that race's result yet; try again in a minute.")
        embed = discord.Embed.from_dict(render_result_embed(result, found.cust_id))
        await interaction.followup.send(embed=embed, allowed_mentions=NO_MENTIONS)

    @results.command(name="preview", description="Show what a posted result looks like, on a sample race")
    async def preview(self, interaction: discord.Interaction) -> None:
        result, cust_id = sample_result()
        embed = discord.Embed.from_dict(render_result_embed(result, cust_id))
        await interaction.response.send_message("This is how a finished race is posted:", embed=embed, ephemeral=True)
