"""Slash commands of the results feature (thin: they call services and render)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from simlane.results.embeds import render_result_embed
from simlane.results.samples import sample_result


class ResultsCog(commands.Cog):
    results = app_commands.Group(name="results", description="Race results posted to this server")

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @results.command(name="preview", description="Show what a posted result looks like, on a sample race")
    async def preview(self, interaction: discord.Interaction) -> None:
        result, cust_id = sample_result()
        embed = discord.Embed.from_dict(render_result_embed(result, cust_id))
        await interaction.response.send_message("This is how a finished race is posted:", embed=embed, ephemeral=True)
