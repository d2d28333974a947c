"""Who may do what in a server, for every command of every feature.

Checked by the bot on every call, not only through Discord's UI: a server can show any command to anyone in its
integration settings, and the check still holds.

- Configuring SimLane: Manage Server, or the SimLane admin role the server chose.
- Choosing that admin role: Manage Server only. A delegated admin could otherwise hand the role to everyone, and
  every admin command with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from simlane.clubs.models import ClubRole
from simlane.clubs.roles import club_role, is_admin_role
from simlane.core.errors import ApplicationError
from simlane.discord_bot import aio
from simlane.discord_bot.escaping import discord_safe

T = TypeVar("T")
NEEDS = ["Manage Server or the SimLane admin role"]


class ConfigPermissionError(app_commands.CheckFailure):
    """The member may not change this server's SimLane configuration."""

    message = "You need Manage Server (or this server's SimLane admin role, see `/results adminrole`) to do that."


class ServerOnlyError(ApplicationError):
    """A server command was used in a direct message."""


class AdminRoleError(ApplicationError):
    """The admin role was not changed: the member may not change it, or the role cannot be an admin role."""


def guild_id_of(interaction: discord.Interaction) -> int:
    """The server the interaction came from; a clear, private error in a direct message."""
    if interaction.guild_id is None:
        raise ServerOnlyError("Use this command in a server, not in a direct message.")
    return interaction.guild_id


async def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server, or the server's SimLane admin role (never true in a direct message)."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    role_id = await aio.guild_admin_role_get(guild_id=interaction.guild_id)
    user = interaction.user
    roles = [r.id for r in user.roles] if isinstance(user, discord.Member) else []
    return is_admin_role(club_role(manage_server=False, owner=False, member_role_ids=roles, admin_role_id=role_id))


def member_club_role(member: discord.Member, *, admin_role_id: int | None) -> ClubRole:
    """A member's role in the club (owner, admin or member), by the same rule as the commands and the web."""
    return club_role(
        manage_server=member.guild_permissions.manage_guild,
        owner=member.guild.owner_id == member.id,
        member_role_ids=[r.id for r in member.roles],
        admin_role_id=admin_role_id,
    )


async def may_configure(interaction: discord.Interaction) -> bool:
    if await is_admin(interaction):
        return True
    raise ConfigPermissionError


def admin_role_problem(*, actor_manages_server: bool, role: discord.Role | None) -> str | None:
    """Why this member may not make ``role`` the SimLane admin role (None: they may; None as role clears it)."""
    if not actor_manages_server:
        return "Only members with Manage Server can change who administers SimLane. Nothing was changed."
    if role is None:
        return None
    name = discord_safe(role.name, limit=80)
    if role.is_default():
        return "@everyone can't be the SimLane admin role: every member would be an admin. Nothing was changed."
    if role.managed:
        return (
            f"{name} is managed by Discord or an integration (a bot, a booster or a subscription role), so who holds "
            "it is not up to your server. Pick a role your admins give out. Nothing was changed."
        )
    me = role.guild.me
    if me is not None and role > me.top_role:
        return (
            f"{name} is above SimLane's own role. Pick a role below it, or move SimLane's role above it in Server "
            "Settings → Roles. Nothing was changed."
        )
    return None


async def admin_role_set(interaction: discord.Interaction, role: discord.Role | None) -> None:
    """Make ``role`` the SimLane admin role (None: Manage Server only), if this member may; else a private error."""
    problem = admin_role_problem(actor_manages_server=interaction.permissions.manage_guild, role=role)
    if problem:
        raise AdminRoleError(problem)
    await aio.guild_admin_role_set(guild_id=guild_id_of(interaction), role_id=role.id if role else None)


def configuration_command() -> Callable[[T], T]:
    """Decorate a slash command (put it above ``@….command``) that changes the server's configuration."""

    def decorator(command: Any) -> Any:
        command = app_commands.check(may_configure)(command)
        if isinstance(command, app_commands.Command):
            command.extras["needs"] = NEEDS
        return command

    return decorator
