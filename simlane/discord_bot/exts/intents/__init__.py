"""The intents queue's worker: the bot carries out what the web asked for (see simlane.clubs.intents)."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import IntentsCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(IntentsCog(bot))
