"""A plain description of every slash command, for `simlane bot commands` and the README's reference."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from .bot import SimLaneBot


def _permissions(command: app_commands.Command[Any, ..., Any]) -> list[str]:
    if "needs" in command.extras:  # checked by the bot itself (bot/checks.py), not by Discord's defaults
        return list(command.extras["needs"])
    perms = command.default_permissions
    parent = command.parent
    while perms is None and parent is not None:
        perms = parent.default_permissions
        parent = parent.parent
    return [name for name, value in perms if value] if perms is not None else []


async def command_catalog() -> list[dict[str, Any]]:
    """Load every extension into a bot that never connects, and describe its slash commands."""
    bot = SimLaneBot()
    try:
        for name in bot.extension_names:
            await bot.load_extension(name)
        catalog = []
        for command in bot.tree.walk_commands():
            if not isinstance(command, app_commands.Command):
                continue
            catalog.append(
                {
                    "name": command.qualified_name,
                    "description": command.description,
                    "options": [
                        {"name": p.name, "description": p.description, "required": p.required, "type": p.type.name}
                        for p in command.parameters
                    ],
                    "permissions": _permissions(command),
                }
            )
        return sorted(catalog, key=lambda c: c["name"])
    finally:
        await bot.close()
