"""``simlane bot commands [--json]``: every slash command with its options and required permissions."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simlane.discord_bot.commands_catalog import command_catalog

# discord.py's flag names where Discord's own UI says something else.
DISCORD_NAMES = {"manage_guild": "Manage Server"}


class Command(BaseCommand):
    help = "Discord bot tools. `commands` lists every slash command (the README's reference is generated from it)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("commands", help="list every slash command with options and permissions")
        listing.add_argument("--json", action="store_true", help="print JSON instead of Markdown")

    def handle(self, *args: Any, **opts: Any) -> None:
        catalog = asyncio.run(command_catalog())
        if opts["json"]:
            self.stdout.write(json.dumps(catalog, indent=2, ensure_ascii=False))
            return
        self.stdout.write("| command | what it does | options | needs |\n| --- | --- | --- | --- |")
        for c in catalog:
            options = ", ".join(
                f"`{o['name']}`{'' if o['required'] else ' (optional)'}: {o['description']}" for o in c["options"]
            )
            needs = ", ".join(DISCORD_NAMES.get(p, p.replace("_", " ").title()) for p in c["permissions"]) or "—"
            self.stdout.write(f"| `/{c['name']}` | {c['description']} | {options or '—'} | {needs} |")
