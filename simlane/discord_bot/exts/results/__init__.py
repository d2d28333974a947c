"""The results feature: tracking drivers and posting their finished races."""

from discord.ext import commands

from ._cog import ResultsCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ResultsCog(bot))
