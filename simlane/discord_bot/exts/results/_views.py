"""The paginated list of tracked drivers."""

from __future__ import annotations

import discord

from simlane.results.escaping import discord_safe
from simlane.results.models import TrackedDriver

PAGE_SIZE = 20


def tracked_page(rows: list[TrackedDriver], page: int) -> discord.Embed:
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    chunk = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [f"• {discord_safe(r.display_name, limit=80)} — `{r.cust_id}`" for r in chunk]
    embed = discord.Embed(title=f"Tracked drivers ({len(rows)})", description="\n".join(lines) or "Nobody yet.")
    embed.set_footer(text=f"Page {page + 1} of {pages} • /track adds a driver, /untrack removes one")
    return embed


class TrackedPages(discord.ui.View):
    """Previous / next buttons over the list; only the member who asked can turn the pages."""

    def __init__(self, rows: list[TrackedDriver], owner_id: int) -> None:
        super().__init__(timeout=300)
        self.rows, self.owner_id, self.page = rows, owner_id, 0
        self.pages = max(1, -(-len(rows) // PAGE_SIZE))
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def _show(self, interaction: discord.Interaction) -> None:
        self._sync_buttons()
        await interaction.response.edit_message(embed=tracked_page(self.rows, self.page), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[TrackedPages]) -> None:
        self.page = max(0, self.page - 1)
        await self._show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[TrackedPages]) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        await self._show(interaction)
