"""Bot health: the bot writes what it can and cannot do on each server, for the dashboard to show."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import HealthCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(HealthCog(bot))
