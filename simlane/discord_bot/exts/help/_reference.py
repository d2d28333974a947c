"""The help text, built from the command tree so that it always lists every command as it is."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from discord import app_commands

from simlane.discord_bot.escaping import discord_safe

# Headings for the feature packages under exts/ (a package not listed here is titled by its name).
FEATURES = {
    "results": "Race results",
    "numbers": "Car numbers",
    "schedule": "Schedule and race guide",
    "clubs": "Club members",
    "events": "Club events",
    "event_notices": "Event reminders",
    "help": "Help",
}
ADMIN, SERVER_ONLY = "🔒", "🏠"

AnyCommand = app_commands.Command[Any, ..., Any]


def feature_of(command: AnyCommand) -> str:
    """The feature package the command is defined in (``…exts.<feature>._cog``)."""
    module = command.module or ""
    name = module.split(".exts.", 1)[1].split(".", 1)[0] if ".exts." in module else "other"
    return FEATURES.get(name, name.replace("_", " ").capitalize())


def admin_only(command: AnyCommand) -> bool:
    """Whether the bot's own checks (``extras["needs"]``) or Discord's default permissions limit it to admins."""
    if command.extras.get("needs"):
        return True
    node: AnyCommand | app_commands.Group | None = command
    while node is not None:
        if node.default_permissions is not None and node.default_permissions.value:
            return True
        node = node.parent
    return False


def server_only(command: AnyCommand) -> bool:
    node: AnyCommand | app_commands.Group | None = command
    while node is not None:
        if node.guild_only:
            return True
        node = node.parent
    return False


def help_lines(tree: app_commands.CommandTree[Any], *, in_dm: bool) -> tuple[list[str], int]:
    """One line per slash command, under a heading per feature; and how many commands there are."""
    groups: dict[str, list[str]] = defaultdict(list)
    count = 0
    for command in tree.walk_commands():
        if not isinstance(command, app_commands.Command):
            continue
        count += 1
        marks = (f" {ADMIN}" if admin_only(command) else "") + (
            f" {SERVER_ONLY}" if in_dm and server_only(command) else ""
        )
        groups[feature_of(command)].append(
            f"`/{command.qualified_name}`{marks} — {discord_safe(command.description, limit=150)}"
        )
    lines: list[str] = []
    if in_dm:
        lines.append(f"In a direct message, commands marked {SERVER_ONLY} work only in a server.")
    for feature in sorted(groups, key=lambda f: (f == FEATURES["help"], f)):
        lines.append(f"**{feature}**")
        lines.extend(sorted(groups[feature]))
    return lines, count
