"""A long list shown as pages of an embed, with previous / next buttons for the member who asked.

Every press answers. While the view lives it turns pages (for its owner; others are told privately to run the
command themselves). When it times out its buttons are disabled on the message. A press the live view can no longer
take (the bot restarted, or the timeout edit failed) reaches ``StalePage``, registered with the bot as a dynamic
item matching every page button's ``custom_id``, which answers privately and retires the buttons.
"""

from __future__ import annotations

import logging
import re
import secrets
import weakref
from typing import Any

import discord

from .escaping import NO_MENTIONS

logger = logging.getLogger(__name__)
PAGE_LINES = 20  # 20 short lines stay far inside the 4,096-character description and 6,000 total
TIMEOUT = 300
EXPIRED = "This list has expired: run the command again for a fresh copy."
TEMPLATE = r"simlane:pages:(?P<key>[0-9a-f]{12}):(?P<step>prev|next)"

# The live views of each bot, by the key in their buttons' custom_id: what tells a live press from a stale one.
# Per client, so a restarted bot (a new client) treats every earlier list as stale, as a new process would.
_live: weakref.WeakKeyDictionary[discord.Client, dict[str, LinePages]] = weakref.WeakKeyDictionary()


def _live_for(client: discord.Client) -> dict[str, LinePages]:
    return _live.setdefault(client, {})


class LinePages(discord.ui.View):
    def __init__(
        self, title: str, lines: list[str], owner_id: int, *, empty: str = "Nothing yet.", hint: str = ""
    ) -> None:
        super().__init__(timeout=TIMEOUT)
        self.title, self.lines, self.owner_id, self.empty, self.hint = title, lines, owner_id, empty, hint
        self.page = 0
        self.pages = max(1, -(-len(lines) // PAGE_LINES))
        self.key = secrets.token_hex(6)
        self.previous.custom_id = f"simlane:pages:{self.key}:prev"
        self.next.custom_id = f"simlane:pages:{self.key}:next"
        self._interaction: discord.Interaction | None = None  # the latest, whose token can still edit the message
        self._sync()

    async def send(self, interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
        """Answer the command with the first page; always send through here, so the view knows its message."""
        await interaction.response.send_message(
            embed=self.embed(), view=self, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
        self._interaction = interaction
        _live_for(interaction.client)[self.key] = self

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

    async def on_timeout(self) -> None:
        """Disable the buttons on the message: a button that looks pressable but no longer pages misleads."""
        if self._interaction is None:
            return
        _live_for(self._interaction.client).pop(self.key, None)
        self.previous.disabled = self.next.disabled = True
        try:
            await self._interaction.edit_original_response(view=self)
        except discord.HTTPException as exc:  # deleted, or the token ran out: a later press still gets StalePage
            logger.info("pages %s: disabling the buttons on timeout failed: %s", self.key, exc)

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = min(self.pages - 1, max(0, self.page + step))
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self)
        self._interaction = interaction

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[LinePages]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[LinePages]) -> None:
        await self._turn(interaction, 1)


class StalePage(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """Every page button's fallback: silent while its view lives (the view answers), else a private answer."""

    def __init__(self, key: str, step: str) -> None:
        super().__init__(discord.ui.Button(label=step, custom_id=f"simlane:pages:{key}:{step}"))
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StalePage:
        return cls(match["key"], match["step"])

    async def callback(self, interaction: discord.Interaction) -> None:
        view = _live_for(interaction.client).get(self.key)
        if view is not None and not view.is_finished():
            return  # discord.py hands the same press to the live view, which answers it
        try:
            if interaction.message is not None:
                stale = discord.ui.View.from_message(interaction.message, timeout=None)
                for button in stale.children:
                    if isinstance(button, discord.ui.Button):
                        button.disabled = True
                await interaction.response.edit_message(view=stale)
                await interaction.followup.send(EXPIRED, ephemeral=True)
            else:
                await interaction.response.send_message(EXPIRED, ephemeral=True)
        except discord.HTTPException as exc:
            logger.warning("pages %s: answering a stale press failed: %s", self.key, exc)
