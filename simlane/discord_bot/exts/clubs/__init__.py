"""Clubs: keeping the club's members current from Discord, and proposing their iRacing accounts."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import MembersCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(MembersCog(bot))
