"""The results feature: tracking drivers and posting their finished races."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import ResultsCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(ResultsCog(bot))
