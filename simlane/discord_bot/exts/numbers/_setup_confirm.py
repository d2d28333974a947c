"""The confirmation `/setup` asks for when a change would release or flag claims members hold."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import discord

from simlane.discord_bot.bot.checks import admin_role_set
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.racenumbers import aio
from simlane.racenumbers.reconfigure import ClaimEffect
from simlane.racenumbers.services import ConfigConflict

if TYPE_CHECKING:
    from ._admin import NumbersAdminCog

SHOWN = 25  # lines of effects in one message (2,000 characters)


class SetupConfirm(discord.ui.View):
    """Apply / cancel for the admin who ran `/setup`; the change is applied only if the claims are still as shown."""

    def __init__(
        self,
        cog: NumbersAdminCog,
        admin_id: int,
        changes: dict[str, Any],
        admin_role: discord.Role | None,
        effects: list[ClaimEffect],
    ) -> None:
        super().__init__(timeout=600)  # inside the 15 minutes an interaction token can edit its message
        self.cog, self.admin_id, self.changes, self.admin_role = cog, admin_id, changes, admin_role
        self.effects = effects
        self.message: discord.InteractionMessage | None = None

    def text(self) -> str:
        lines = [
            f"This change affects {len(self.effects)} claim(s). Nothing is changed until you press Apply:",
            *(f"• {e.describe(discord_safe)}" for e in self.effects[:SHOWN]),
        ]
        if len(self.effects) > SHOWN:
            lines.append(f"… and {len(self.effects) - SHOWN} more (`/export` lists every claim)")
        return "\n".join(lines)[:2000]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.admin_id:
            await interaction.response.send_message("Only the admin who ran `/setup` can confirm it.", ephemeral=True)
            return False
        return True

    async def on_timeout(self) -> None:
        if self.message is not None:
            # The message may be gone or the token expired: then there is nothing left to press.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(content="Not applied (no answer in 10 minutes). Nothing changed.", view=None)

    @discord.ui.button(label="Apply", style=discord.ButtonStyle.danger)
    async def apply(self, interaction: discord.Interaction, _button: discord.ui.Button[SetupConfirm]) -> None:
        self.stop()
        try:
            config = await aio.number_config_update(
                guild_id=self.cog_guild(interaction), actor_id=self.admin_id, confirmed=self.effects, **self.changes
            )
        except ConfigConflict:
            await interaction.response.edit_message(
                content="The claims changed since this list was made. Nothing was changed: run `/setup` again.",
                view=None,
            )
            return
        if self.admin_role is not None:
            await admin_role_set(interaction, self.admin_role)
        released = sum(1 for e in self.effects if e.action == "release")
        await interaction.response.edit_message(
            content=f"Saved; {released} claim(s) released.\n" + await self.cog.describe(config),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _button: discord.ui.Button[SetupConfirm]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Cancelled. Nothing was changed.", view=None)

    @staticmethod
    def cog_guild(interaction: discord.Interaction) -> int:
        assert interaction.guild_id is not None  # the view only exists on a server's /setup
        return interaction.guild_id
