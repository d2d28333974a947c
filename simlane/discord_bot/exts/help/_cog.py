"""`/help` (thin: read the command tree, page it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.discord_bot.pages import LinePages

from ._reference import help_lines

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot


class HelpCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What every SimLane command does, and who may use it")
    async def help(self, interaction: discord.Interaction) -> None:
        in_dm = interaction.guild_id is None
        lines, count = help_lines(self.bot.tree, in_dm=in_dm)
        hint = "🔒 admins only" + (" • 🏠 works only in a server" if in_dm else "")
        view = LinePages(f"SimLane commands ({count})", lines, interaction.user.id, hint=hint)
        await view.send(interaction, ephemeral=True)
