"""A long list shown as pages of an embed, with previous / next buttons for the member who asked."""

from __future__ import annotations

import discord

PAGE_LINES = 20  # 20 short lines stay far inside the 4,096-character description and 6,000 total


class LinePages(discord.ui.View):
    def __init__(
        self, title: str, lines: list[str], owner_id: int, *, empty: str = "Nothing yet.", hint: str = ""
    ) -> None:
        super().__init__(timeout=300)
        self.title, self.lines, self.owner_id, self.empty, self.hint = title, lines, owner_id, empty, hint
        self.page = 0
        self.pages = max(1, -(-len(lines) // PAGE_LINES))
        self._sync()

    def embed(self) -> discord.Embed:
        chunk = self.lines[self.page * PAGE_LINES : (self.page + 1) * PAGE_LINES]
        embed = discord.Embed(title=self.title[:256], description="\n".join(chunk)[:4000] or self.empty)
        embed.set_footer(text=f"Page {self.page + 1} of {self.pages}" + (f" • {self.hint}" if self.hint else ""))
        return embed

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:  # answered, privately: a silent refusal reads as a broken bot
            await interaction.response.send_message(
                "These pages belong to the member who asked; run the command yourself for your own copy.",
                ephemeral=True,
            )
            return False
        return True

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = min(self.pages - 1, max(0, self.page + step))
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[LinePages]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[LinePages]) -> None:
        await self._turn(interaction, 1)
