"""Swap offers' Accept / Decline buttons: persistent, so a press after a restart (or a day later) still answers.

Each button's ``custom_id`` carries the trade id (``simlane:trade:<id>:accept``); the bot registers the item class at
start-up, so any press on any offer message reaches ``TradeButton.callback`` whatever process sent it. Everything
about the press (who may answer, whether the offer is still open or expired) is decided by the service under a row
lock; this module only turns the outcome into replies.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from simlane.core.errors import ApplicationError
from simlane.discord_bot.escaping import NO_MENTIONS
from simlane.racenumbers import aio
from simlane.racenumbers.services import TradeClosed

from ._shared import announce

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)
LABELS = {"accept": ("Accept swap", discord.ButtonStyle.success), "decline": ("Decline", discord.ButtonStyle.secondary)}


class TradeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"simlane:trade:(?P<id>[0-9]{1,20}):(?P<action>accept|decline)",
):
    def __init__(self, trade_id: int, action: str) -> None:
        label, style = LABELS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"simlane:trade:{trade_id}:{action}"))
        self.trade_id, self.action = trade_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TradeButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs what a dynamic item's callback raises, so every outcome is answered here.
        try:
            await self._answer(interaction)
        except TradeClosed as exc:  # answered, expired or cancelled: say so privately and retire the buttons
            await _close(interaction, exc.message)
        except ApplicationError as exc:
            await _private(interaction, exc.message)
        except Exception:
            logger.exception("trade %s: %s press failed", self.trade_id, self.action)
            await _private(interaction, "That didn't work; nothing was swapped. Try again in a moment.")

    async def _answer(self, interaction: discord.Interaction) -> None:
        bot: SimLaneBot = interaction.client  # type: ignore[assignment]
        guild_id = interaction.guild_id or 0
        trade = await aio.trade_answer(
            guild_id=guild_id,
            trade_id=self.trade_id,
            user_id=interaction.user.id,
            accept=self.action == "accept",
            now=bot.now(),
        )
        if trade.status == "done":
            a, b = trade.from_user_id, trade.to_user_id
            text = f"Swapped: <@{a}> now has #{trade.to_number}, <@{b}> has #{trade.from_number}."
        else:
            text = f"<@{trade.to_user_id}> declined the swap."
        try:
            await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:  # the swap stands: the announcement below still says it
            logger.warning("trade %s: editing the offer after the answer failed: %s", self.trade_id, exc)
        if trade.status == "done":
            await announce(bot, guild_id, text)


def trade_view(trade_id: int) -> discord.ui.View:
    """The buttons for a new offer. No timeout: the offer's expiry lives in the database, not in this process."""
    view = discord.ui.View(timeout=None)
    view.add_item(TradeButton(trade_id, "accept"))
    view.add_item(TradeButton(trade_id, "decline"))
    return view


async def _close(interaction: discord.Interaction, message: str) -> None:
    """Disable the offer's buttons (nobody can act on it any more) and tell the presser why, privately."""
    view = discord.ui.View.from_message(interaction.message, timeout=None) if interaction.message else None
    if view is not None and not interaction.response.is_done():
        for item in view.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        try:
            await interaction.response.edit_message(view=view)
        except discord.HTTPException as exc:
            logger.warning("offer message %s: disabling its buttons failed: %s", interaction.message, exc)
    await _private(interaction, message)


async def _private(interaction: discord.Interaction, message: str) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        logger.warning("a private answer to a trade button failed: %s", exc)
