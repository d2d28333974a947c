"""Club events: `/event` commands, the signup card's buttons and modal, and posting/editing the card."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._card import EventButton
from ._cog import EventsCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(EventsCog(bot))
    # The card's buttons answer whichever process posted the card: a press after a restart still works.
    bot.add_dynamic_items(EventButton)
