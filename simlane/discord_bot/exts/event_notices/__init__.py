"""Event notices: reminders, the nudge, stint alerts and results posts sent exactly once, and ``/reminders``."""

from discord.ext import commands

from simlane.discord_bot.bot import SimLaneBot

from ._cog import EventNoticesCog


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, SimLaneBot)
    await bot.add_cog(EventNoticesCog(bot))
