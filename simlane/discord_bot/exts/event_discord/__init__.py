"""Events on Discord: the event reconciler (category, channel, Discord event, team threads, roles and voice, archive)
and the tick that runs its time-driven steps without a web click."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import EventDiscordCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(EventDiscordCog(bot))
