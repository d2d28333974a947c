"""`/help`: every slash command, generated from the command tree."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import HelpCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(HelpCog(bot))
