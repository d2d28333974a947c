"""The command tree with the one error handler for every slash command."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from simlane.core.errors import ApplicationError
from simlane.iracing.client import IRacingError, MaintenanceError

from .checks import ConfigPermissionError

logger = logging.getLogger(__name__)


class SimLaneTree(app_commands.CommandTree[discord.Client]):
    """Turns every command error into an ephemeral message the user can act on."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(original, ApplicationError):
            message = original.message
        elif isinstance(original, MaintenanceError):
            message = "iRacing is in maintenance right now. Nothing was changed; please try again later."
        elif isinstance(original, IRacingError):
            logger.warning(
                "iRacing failed during /%s: %s", getattr(interaction.command, "qualified_name", "?"), original
            )
            message = "iRacing did not answer in time. Nothing was changed; please try again in a minute."
        elif isinstance(error, ConfigPermissionError):
            message = error.message
        elif isinstance(error, app_commands.MissingPermissions):
            message = "You need the Manage Server permission to do that."
        elif isinstance(error, app_commands.CheckFailure):
            message = "You can't use this command here."
        else:
            logger.error(
                "slash command /%s failed", getattr(interaction.command, "qualified_name", "?"), exc_info=original
            )
            message = "Something went wrong on SimLane's side; the error has been logged. Please try again."
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
