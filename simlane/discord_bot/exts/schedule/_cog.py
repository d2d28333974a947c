"""`/schedule` and `/raceguide` (thin: read the synced data, render)."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.cards.charts import forecast_png
from simlane.core.errors import ApplicationError
from simlane.discord_bot import aio as bot_aio
from simlane.discord_bot.bot.checks import configuration_command, guild_id_of
from simlane.discord_bot.escaping import discord_safe
from simlane.discord_bot.ids import require_id
from simlane.discord_bot.services import MAX_FOLLOWED_SERIES
from simlane.iracing import aio

from ._render import guide_embed, schedule_embed

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot


class ScheduleError(ApplicationError):
    pass


async def series_choices(_interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=s.name[:100], value=str(s.series_id)) for s in await aio.series_search(term=current)
    ]


async def _series(value: str) -> int:
    series_id = require_id(value, hint="Pick the series from the list as you type (or give its id, digits 0–9 only).")
    series = await aio.series_get(series_id=series_id)
    if series is None:
        raise ScheduleError("No such series in SimLane's data (the nightly sync adds new ones).")
    return series.series_id


class ScheduleCog(commands.Cog):
    raceguide_group = app_commands.Group(name="raceguide", description="Upcoming official races")

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @app_commands.command(name="schedule", description="This week's and next week's track, times, BOP and weather")
    @app_commands.describe(series="The series (pick from the list)")
    @app_commands.autocomplete(series=series_choices)
    async def schedule(self, interaction: discord.Interaction, series: str) -> None:
        series_id = await _series(series)
        row = await aio.series_get(series_id=series_id)
        assert row is not None
        weeks = await aio.race_weeks_around(series_id=series_id, now=self.bot.now())
        car_ids = {r["car_id"] for v in weeks for r in v.week.car_restrictions}
        names = await aio.car_names(car_ids=car_ids)
        embed = schedule_embed(row, weeks, names)
        forecast = getattr(weeks[0].week, "forecast", None) if weeks else None  # reverse one-to-one: may be absent
        # Drawn in a worker thread: matplotlib takes a tenth of a second the event loop must not wait for.
        title = f"{row.name} — {weeks[0].week.track_name}" if weeks else row.name
        png = await asyncio.to_thread(forecast_png, forecast.points, title=title) if forecast else None
        if png is None:
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        embed.set_image(url="attachment://forecast.png")
        await interaction.response.send_message(
            embed=embed, file=discord.File(io.BytesIO(png), filename="forecast.png"), ephemeral=True
        )

    @raceguide_group.command(name="next", description="The next races of the series this server follows")
    async def next(self, interaction: discord.Interaction) -> None:
        followed = await bot_aio.guild_followed_series(guild_id=interaction.guild_id) if interaction.guild_id else []
        sessions = await aio.upcoming_sessions(now=self.bot.now(), series_ids=followed or None)
        await interaction.response.send_message(embed=guide_embed(sessions), ephemeral=True)

    @configuration_command()
    @raceguide_group.command(name="follow", description="Add a series to this server's race guide (admins)")
    @app_commands.describe(series="The series (pick from the list)")
    @app_commands.autocomplete(series=series_choices)
    @app_commands.guild_only()
    async def follow(self, interaction: discord.Interaction, series: str) -> None:
        guild_id = guild_id_of(interaction)
        series_id = await _series(series)
        followed, added = await bot_aio.guild_series_follow(guild_id=guild_id, series_id=series_id)
        name = await _series_name(series_id)
        text = "now follows" if added else "already follows"
        await interaction.response.send_message(
            f"The race guide {text} {name}: {len(followed)} of {MAX_FOLLOWED_SERIES} series.", ephemeral=True
        )

    @configuration_command()
    @raceguide_group.command(name="unfollow", description="Remove a series from this server's race guide (admins)")
    @app_commands.describe(series="A followed series (pick from the list)")
    @app_commands.guild_only()
    async def unfollow(self, interaction: discord.Interaction, series: str) -> None:
        guild_id = guild_id_of(interaction)
        series_id = require_id(series, hint="Pick a followed series from the list. Nothing was changed.")
        followed = await bot_aio.guild_series_unfollow(guild_id=guild_id, series_id=series_id)
        rest = f"{len(followed)} series left." if followed else "It follows no series now: it shows every series."
        await interaction.response.send_message(
            f"The race guide no longer follows {await _series_name(series_id)}. {rest}", ephemeral=True
        )

    @unfollow.autocomplete("series")
    async def _followed_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        rows = await bot_aio.guild_followed_series_named(guild_id=interaction.guild_id)
        term = current.strip().casefold()
        return [
            app_commands.Choice(name=name[:100], value=str(series_id))
            for series_id, name in rows
            if term in name.casefold() or str(series_id).startswith(term)
        ][:25]


async def _series_name(series_id: int) -> str:
    row = await aio.series_get(series_id=series_id)
    return discord_safe(row.name if row else f"series {series_id}", limit=100)
