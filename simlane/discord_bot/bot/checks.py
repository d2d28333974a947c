"""Who may configure SimLane in a server: Manage Server, or the admin role the server chose.

Checked by the bot on every call, not only through Discord's UI: a server can show any command to anyone in its
integration settings, and the check still holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from simlane.discord_bot import aio

T = TypeVar("T")
NEEDS = ["Manage Server or the SimLane admin role"]


class ConfigPermissionError(app_commands.CheckFailure):
    """The member may not change this server's SimLane configuration."""

    message = "You need Manage Server (or this server's SimLane admin role, see `/results adminrole`) to do that."


async def may_configure(interaction: discord.Interaction) -> bool:
    if interaction.guild_id is None:
        raise ConfigPermissionError
    if interaction.permissions.manage_guild:
        return True
    role_id = await aio.guild_admin_role_get(guild_id=interaction.guild_id)
    user = interaction.user
    if role_id is not None and isinstance(user, discord.Member) and any(r.id == role_id for r in user.roles):
        return True
    raise ConfigPermissionError


def configuration_command() -> Callable[[T], T]:
    """Decorate a slash command (put it above ``@….command``) that changes the server's configuration."""

    def decorator(command: Any) -> Any:
        command = app_commands.check(may_configure)(command)
        if isinstance(command, app_commands.Command):
            command.extras["needs"] = NEEDS
        return command

    return decorator
