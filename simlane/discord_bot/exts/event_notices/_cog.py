"""Runs the event notices (plan what is due, look for results, send) every minute, and ``/reminders``."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.clubs import aio as clubs_aio
from simlane.discord_bot.bot.checks import guild_id_of
from simlane.discord_bot.gateway import held_shards
from simlane.events.notices import aio
from simlane.events.notices.finder import ResultsFinder
from simlane.events.notices.outbox import NoticeOutbox, NoticeReport, NoticeSender

from ._sender import DiscordNoticeSender

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)

EVERY_SECONDS = 60.0


@dataclass
class NoticeTick:
    claimed: int
    results: int
    report: NoticeReport


def _on(value: bool) -> str:
    return "on" if value else "off"


class EventNoticesCog(commands.Cog):
    def __init__(self, bot: SimLaneBot, sender: NoticeSender | None = None) -> None:
        self.bot = bot
        self.outbox = NoticeOutbox(sender or DiscordNoticeSender(bot), now=bot.now, shards=lambda: held_shards(bot))
        self.finder = ResultsFinder(bot.iracing, now=bot.now)
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.loops:
            self._task = asyncio.create_task(self._run())

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.tick()
            except Exception:  # a database or iRacing hiccup must not end the loop; the next minute tries again
                logger.exception("event notices tick failed")
            await asyncio.sleep(EVERY_SECONDS)

    async def tick(self) -> NoticeTick:
        """Claim what is due now, claim results found, then send every claimed notice."""
        claimed = await aio.notices_plan(now=self.bot.now())
        results = await self.finder.run()
        return NoticeTick(claimed, results, await self.outbox.drain())

    @app_commands.command(name="reminders", description="Your event reminders: by DM too, and signup nudges")
    @app_commands.guild_only()
    @app_commands.describe(
        dm="Also get each reminder of events you race in as a direct message",
        nudge="Be mentioned when you have not answered an event's signup the day before it closes",
    )
    async def reminders(
        self, interaction: discord.Interaction, dm: bool | None = None, nudge: bool | None = None
    ) -> None:
        club = await clubs_aio.club_for_guild(guild_id_of(interaction))
        if club is None:
            await interaction.response.send_message(
                "SimLane runs no events on this server yet, so there is nothing to remind you of.", ephemeral=True
            )
            return
        user = interaction.user
        if dm is None and nudge is None:
            prefs = await aio.notice_prefs_get(club=club, discord_user_id=user.id)
            head = "Your event notices here"
        else:
            prefs = await aio.notice_prefs_update(
                club=club, discord_user_id=user.id, dms=dm, nudges=nudge, name=user.display_name
            )
            head = "Saved. Your event notices here"
        await interaction.response.send_message(
            f"{head}: reminders in the event channel (always, when you are confirmed), reminders by DM "
            f"**{_on(prefs.dms)}**, signup nudges **{_on(prefs.nudges)}**. Change them with `/reminders dm:` and "
            "`/reminders nudge:`, or on the dashboard.",
            ephemeral=True,
        )
