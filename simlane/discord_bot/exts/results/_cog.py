"""Slash commands of the results feature (thin: they resolve input, call the results app's async facade, reply)."""

from __future__ import annotations

import calendar
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.cards import aio as cards_aio
from simlane.cards.models import CardTheme
from simlane.core.errors import ApplicationError
from simlane.discord_bot.bot.checks import admin_role_set, configuration_command, guild_id_of, is_admin
from simlane.discord_bot.drivers import Driver, choice_name, driver_autocomplete, require_client, resolve_driver
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.discord_bot.ids import require_id, require_ids
from simlane.discord_bot.pages import LinePages
from simlane.results import aio
from simlane.results.embeds import render_result_embed
from simlane.results.models import DEFAULT_TRACKED_PER_MEMBER, ResultsMode, TrackedDriver
from simlane.results.poller.ingest import SubsessionFetcher
from simlane.results.poller.outbox import CARD_FILENAME
from simlane.results.samples import sample_result
from simlane.results.selectors import fold
from simlane.results.services import MAX_TRACKED_PER_GUILD

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

NO_CHANNEL_HINT = " No results channel is set yet: an admin can use `/results channel`."


class ResultsCommandError(ApplicationError):
    pass


def _require_posting(channel: discord.TextChannel) -> None:
    """Every channel SimLane posts results, highlights or digests in needs the same three permissions: refuse the
    setting up front rather than fail silently at the first post."""
    perms = channel.permissions_for(channel.guild.me)
    needed = (
        ("View Channel", perms.view_channel),
        ("Send Messages", perms.send_messages),
        ("Embed Links", perms.embed_links),
    )
    missing = [name for name, ok in needed if not ok]
    if missing:
        raise ResultsCommandError(f"I can't post in {channel.mention}: I need {', '.join(missing)} there.")


class ResultsCog(commands.Cog):
    results = app_commands.Group(name="results", description="Race results posted to this server", guild_only=True)

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot
        self.fetcher = SubsessionFetcher(bot.iracing) if bot.iracing else None
        self.cards = bot.cards

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
            member_limited=not await is_admin(interaction),
        )
        name = discord_safe(found.display_name, limit=100)
        if not created:
            await interaction.followup.send(f"{name} (`{found.cust_id}`) is already tracked here.", ephemeral=True)
            return
        config = await aio.results_config_get(guild_id=guild_id)
        hint = "" if config and config.channel_id else NO_CHANNEL_HINT
        await interaction.followup.send(
            f"Tracking {name} (`{found.cust_id}`): races they finish from now on will be posted.{hint}", ephemeral=True
        )

    # Several ids at once, so an admin cleaning up does not run the command once per driver; the autocomplete
    # fills in one tracked driver, the common case.
    @app_commands.command(name="untrack", description="Stop posting these drivers' races in this server")
    @app_commands.describe(
        driver="A tracked driver (pick from the list), or several customer ids separated by spaces or commas"
    )
    @app_commands.guild_only()
    async def untrack(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id = guild_id_of(interaction)
        cust_ids = require_ids(
            driver,
            hint="Pick the driver from the list, or give iRacing customer ids (digits 0–9 only, separated by spaces "
            "or commas). Nothing was untracked.",
        )
        removed = await aio.tracked_drivers_remove(
            guild_id=guild_id,
            cust_ids=cust_ids,
            actor_id=interaction.user.id,
            actor_is_admin=await is_admin(interaction),
        )
        await interaction.response.send_message(f"Stopped tracking {_names(removed)}.", ephemeral=True)

    @untrack.autocomplete("driver")
    async def _untrack_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await _tracked_choices(interaction, current)

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
        _require_posting(channel)
        await aio.results_channel_set(guild_id=guild_id, channel_id=channel.id)
        pending = await aio.posts_pending_count(guild_id=guild_id)
        extra = f" {pending} result(s) waiting will be posted there now." if pending else ""
        await interaction.response.send_message(
            f"Race results will be posted in {channel.mention}.{extra}", ephemeral=True
        )

    @configuration_command()
    @results.command(name="limit", description="How many drivers each member may track here (admins)")
    @app_commands.describe(
        per_member=f"Drivers one member may track; admins are limited only by the server's {MAX_TRACKED_PER_GUILD}"
    )
    async def limit(
        self, interaction: discord.Interaction, per_member: app_commands.Range[int, 1, MAX_TRACKED_PER_GUILD]
    ) -> None:
        config = await aio.tracked_per_member_set(guild_id=guild_id_of(interaction), limit=per_member)
        await interaction.response.send_message(
            f"Each member may now track up to {config.max_tracked_per_member} drivers here (the server holds at most "
            f"{MAX_TRACKED_PER_GUILD}). Drivers already tracked stay.",
            ephemeral=True,
        )

    @configuration_command()
    @results.command(name="untrack-by", description="Untrack every driver one member added (admins)")
    @app_commands.describe(member="The member whose tracked drivers to remove")
    async def untrack_by(self, interaction: discord.Interaction, member: discord.User) -> None:
        removed = await aio.tracked_drivers_remove_added_by(guild_id=guild_id_of(interaction), added_by=member.id)
        text = f"Stopped tracking {_names(removed)}, added by {member.mention}." if removed else ""
        await interaction.response.send_message(
            text or f"{member.mention} has not tracked any driver here.", ephemeral=True, allowed_mentions=NO_MENTIONS
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
        per_member = config.max_tracked_per_member if config else DEFAULT_TRACKED_PER_MEMBER
        await interaction.response.send_message(
            f"Channel: {where}\nRaces: {mode}\nTracked drivers: {len(tracked)} (up to {per_member} per member)\n"
            f"Waiting to be posted: {pending}",
            ephemeral=True,
        )

    # -- on demand -------------------------------------------------------------------------------------------------

    @results.command(name="last", description="Post a driver's latest race here, now")
    @app_commands.describe(driver="A driver's name (pick from the list) or iRacing customer id")
    @app_commands.autocomplete(driver=driver_autocomplete)
    async def last(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id_of(interaction)
        client = require_client(self.bot.iracing)
        # Deferred privately, so that an error (iRacing trouble, a bad driver) reaches only the member who asked;
        # the result itself is a separate, public follow-up once there is one.
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await resolve_driver(client, driver)
        recent = await client.member_recent_races(found.cust_id)
        if not recent.races or self.fetcher is None:
            raise ResultsCommandError(f"{discord_safe(found.display_name, limit=100)} has no recent official races.")
        result = await self.fetcher.get(recent.races[0].subsession_id)
        if result is None:
            raise ResultsCommandError("iRacing has not published that race's result yet; try again in a minute.")
        embed = discord.Embed.from_dict(render_result_embed(result, found.cust_id))
        await interaction.edit_original_response(
            content=f"Posted {discord_safe(found.display_name, limit=100)}'s latest race in this channel."
        )
        await interaction.followup.send(embed=embed, allowed_mentions=NO_MENTIONS)

    @results.command(name="card", description="Draw the race card of a tracked driver in any past race")
    @app_commands.describe(
        subsession="The race's subsession id (in the footer of a result, or on iRacing's results page)",
        driver="One of this server's tracked drivers (pick from the list)",
    )
    async def card(self, interaction: discord.Interaction, subsession: app_commands.Range[int, 1], driver: str) -> None:
        guild_id = guild_id_of(interaction)
        # Only the server's tracked drivers: a server draws cards of the drivers it follows, not of anyone.
        cust_id = require_id(driver, hint="Pick a tracked driver from the list (or type their iRacing customer id).")
        if await aio.tracked_driver_get(guild_id=guild_id, cust_id=cust_id) is None:
            raise ResultsCommandError("That driver is not tracked in this server: `/track` them first.")
        if self.fetcher is None:
            raise ResultsCommandError("iRacing is not configured here.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.fetcher.get(subsession)
        if result is None:
            raise ResultsCommandError(f"iRacing has no result for subsession {subsession}.")
        embed = render_result_embed(result, cust_id)  # a driver not in that race is a clear error here
        png = await self.cards.render_for_server(result, cust_id=cust_id, guild_id=guild_id)
        if png is None:
            await interaction.edit_original_response(content="The card could not be drawn; here is the result.")
            await interaction.followup.send(embed=discord.Embed.from_dict(embed), allowed_mentions=NO_MENTIONS)
            return
        embed["image"] = {"url": f"attachment://{CARD_FILENAME}"}
        await interaction.edit_original_response(content="Posted the race card in this channel.")
        await interaction.followup.send(
            embed=discord.Embed.from_dict(embed),
            file=discord.File(io.BytesIO(png), filename=CARD_FILENAME),
            allowed_mentions=NO_MENTIONS,
        )

    @configuration_command()
    @results.command(name="cards", description="Race cards on result posts: on or off, charts, colours (admins)")
    @app_commands.describe(
        enabled="Attach a race card picture to each result", charts="Draw lap charts on the card", theme="Colours"
    )
    @app_commands.choices(theme=[app_commands.Choice(name=label, value=value) for value, label in CardTheme.choices])
    async def cards_settings(
        self,
        interaction: discord.Interaction,
        enabled: bool | None = None,
        charts: bool | None = None,
        theme: app_commands.Choice[str] | None = None,
    ) -> None:
        row = await cards_aio.card_settings_set(
            guild_id=guild_id_of(interaction), cards=enabled, charts=charts, theme=theme.value if theme else None
        )
        state = "on" if row.cards_enabled else "off (text only)"
        await interaction.response.send_message(
            f"Race cards: {state}; charts: {'on' if row.charts_enabled else 'off'}; colours: {row.theme}.",
            ephemeral=True,
        )

    @configuration_command()
    @results.command(name="highlights", description="Also post podiums and/or personal bests in a channel (admins)")
    @app_commands.describe(
        channel="The second channel; leave it out to stop",
        podiums="Podiums (class podiums in multi-class races)",
        personal_bests="A best lap faster than the driver's earlier races at this track in this car",
    )
    async def highlights(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        podiums: bool | None = None,
        personal_bests: bool | None = None,
    ) -> None:
        if channel is not None:
            _require_posting(channel)
        if channel is not None and podiums is None and personal_bests is None:
            podiums = True  # a channel with nothing chosen would stay silent: podiums are the usual wish
        row = await cards_aio.highlights_set(
            guild_id=guild_id_of(interaction),
            channel_id=channel.id if channel else None,
            podiums=podiums,
            personal_bests=personal_bests,
        )
        if row.highlights_channel_id is None:
            text = "Highlights are off: every result goes to the results channel only."
        else:
            chosen = (("podiums", row.route_podiums), ("personal bests", row.route_personal_bests))
            kinds = " and ".join(k for k, on in chosen if on).capitalize() or "Nothing"
            text = f"{kinds} will also be posted in <#{row.highlights_channel_id}>."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @configuration_command()
    @results.command(name="digest", description="A weekly digest of the tracked drivers' races (admins)")
    @app_commands.describe(
        weekday="The day it is posted; leave it out to stop the digest",
        hour="The hour it is posted, UTC (default 20)",
        channel="Where (default: the results channel)",
    )
    @app_commands.choices(weekday=[app_commands.Choice(name=n, value=i) for i, n in enumerate(calendar.day_name)])
    async def digest(
        self,
        interaction: discord.Interaction,
        weekday: app_commands.Choice[int] | None = None,
        hour: app_commands.Range[int, 0, 23] = 20,
        channel: discord.TextChannel | None = None,
    ) -> None:
        if channel is not None:
            _require_posting(channel)
        await cards_aio.digest_set(
            guild_id=guild_id_of(interaction),
            weekday=weekday.value if weekday else None,
            now=self.bot.now(),
            hour=hour,
            channel_id=channel.id if channel else None,
        )
        if weekday is None:
            text = "The weekly digest is off."
        else:
            where = channel.mention if channel else "the results channel"
            text = f"The weekly digest will be posted every {weekday.name} at {hour:02d}:00 UTC in {where}."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @results.command(name="preview", description="Show what a posted result looks like, on a sample race")
    async def preview(self, interaction: discord.Interaction) -> None:
        result, cust_id = sample_result()
        embed = discord.Embed.from_dict(render_result_embed(result, cust_id))
        await interaction.response.send_message("This is how a finished race is posted:", embed=embed, ephemeral=True)

    @card.autocomplete("driver")
    async def _card_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await _tracked_choices(interaction, current)


async def _tracked_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's tracked drivers matching what was typed (name without case or accents, or id prefix)."""
    if interaction.guild_id is None:
        return []
    key = fold(current.strip())
    rows = await aio.tracked_driver_list(guild_id=interaction.guild_id)
    return [
        app_commands.Choice(name=choice_name(Driver(r.cust_id, r.display_name)), value=str(r.cust_id))
        for r in rows
        if key in fold(r.display_name) or str(r.cust_id).startswith(key)
    ][:25]


def _names(rows: list[TrackedDriver], shown: int = 10) -> str:
    """ "Name (`id`), …" for a reply, the first ``shown`` of them (a reply holds at most 2,000 characters)."""
    text = ", ".join(f"{discord_safe(r.display_name, limit=60)} (`{r.cust_id}`)" for r in rows[:shown])
    return text + (f" and {len(rows) - shown} more" if len(rows) > shown else "")
