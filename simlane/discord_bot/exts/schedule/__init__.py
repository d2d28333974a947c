"""Schedules and the race guide from the synced iRacing data."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import ScheduleCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(ScheduleCog(bot))
