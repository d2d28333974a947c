"""Car numbers: claims, roster, export, iRacing league roster sync, audit log."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._admin import NumbersAdminCog
from ._cog import NumbersCog
from ._links import NumbersLinksCog
from ._members import NumbersMembersCog
from ._trade import TradeButton


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(NumbersCog(bot))
    await bot.add_cog(NumbersAdminCog(bot))
    await bot.add_cog(NumbersLinksCog(bot))
    await bot.add_cog(NumbersMembersCog(bot))
    # Offer buttons answer whichever process sent them: a press after a restart still reaches the offer.
    bot.add_dynamic_items(TradeButton)
