"""Car numbers: claims, roster, export, iRacing league roster sync, audit log."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._admin import NumbersAdminCog
from ._cog import NumbersCog
from ._links import NumbersLinksCog
from ._members import NumbersMembersCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(NumbersCog(bot))
    await bot.add_cog(NumbersAdminCog(bot))
    await bot.add_cog(NumbersLinksCog(bot))
    await bot.add_cog(NumbersMembersCog(bot))
