"""``simlane bot``: the Discord gateway alone (shards, the results job, a health port), for deployments that run
the web app, the workers and beat as processes of their own. ``simlane bot commands [--json]`` lists every slash
command with its options and required permissions (the README's reference is generated from it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from simlane.core.db import close_async_connections
from simlane.discord_bot.commands_catalog import command_catalog
from simlane.discord_bot.gateway import ShardedSimLaneBot
from simlane.discord_bot.runtime import run_live
from simlane.iracing.services import client_config_from_settings, iracing_client_create
from simlane.ops.health_server import health_port
from simlane.ops.readiness import Check
from simlane.results.poller import PollPolicy

# discord.py's flag names where Discord's own UI says something else.
DISCORD_NAMES = {"manage_guild": "Manage Server"}


def shard_ids(text: str) -> list[int]:
    """``0,1,2`` or ``0-3`` (or a mix) as a sorted list of shard ids."""
    ids: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"not a shard id or range: {part!r}")
        ids.update(range(int(first), int(last or first) + 1))
    return sorted(ids)


class Command(BaseCommand):
    help = (
        "Run the Discord bot alone (sharded with --shard-ids/--shard-count; the count Discord recommends otherwise), "
        "with the results job and a health port. `simlane bot commands` lists every slash command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--shard-ids", type=shard_ids, default=None, help="the shards this process holds, e.g. 0,1 or 0-3"
        )
        parser.add_argument("--shard-count", type=int, default=None, help="total shards (default: Discord's advice)")
        parser.add_argument(
            "--health-port", type=int, default=settings.HEALTH_PORT, help="serve /healthz, /readyz, /metrics (0: off)"
        )
        parser.add_argument("--health-host", default=settings.HEALTH_HOST, help="address of the health port")
        parser.add_argument("--interval", type=float, default=120.0, help="results poll interval in seconds")
        sub = parser.add_subparsers(dest="action")
        listing = sub.add_parser("commands", help="list every slash command with options and permissions")
        listing.add_argument("--json", action="store_true", help="print JSON instead of Markdown")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "commands":
            self.list_commands(json_output=opts["json"])
            return
        if opts["shard_ids"] is not None and opts["shard_count"] is None:
            raise CommandError("--shard-ids needs --shard-count (the total number of shards of the bot).")
        if opts["shard_count"] is not None and any(i >= opts["shard_count"] for i in opts["shard_ids"] or []):
            raise CommandError(
                f"shard ids run from 0 to {opts['shard_count'] - 1} with --shard-count {opts['shard_count']}."
            )
        if not settings.DISCORD_TOKEN:
            raise CommandError("DISCORD_TOKEN is not set (see README.md); `simlane run` runs the offline demo.")
        if connection.vendor == "sqlite":
            # SQLite takes one writer at a time: a deployment of several processes waits on its lock.
            raise CommandError(
                "`simlane bot` is one process of a deployment of several (web, bot, Celery workers), which needs "
                "PostgreSQL: set DATABASE_URL (docs/deployment.md). On SQLite, `simlane run` runs everything in one "
                "process."
            )
        if not client_config_from_settings().has_credentials:
            raise CommandError("iRacing credentials are not set (IRACING_CLIENT_ID, ... in README.md).")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self.run_gateway(opts))

    async def run_gateway(self, opts: dict[str, Any]) -> None:
        policy = PollPolicy(interval=timedelta(seconds=opts["interval"]))
        try:
            async with iracing_client_create() as client:
                dev_guild = int(settings.DEV_GUILD_ID) if settings.DEV_GUILD_ID else None
                bot = ShardedSimLaneBot(
                    dev_guild_id=dev_guild,
                    iracing=client,
                    loops=True,
                    shard_ids=opts["shard_ids"],
                    shard_count=opts["shard_count"],
                )

                def gateway() -> Check:
                    ready = bot.is_ready() and not bot.is_closed()
                    shards = f"shards {sorted(bot.shards)} of {bot.shard_count}" if bot.shard_count else "no shards yet"
                    return Check("discord_gateway", ready, ("connected, " if ready else "not connected, ") + shards)

                port = opts["health_port"] or None
                async with health_port("bot", opts["health_host"], port, gateway) as url:
                    if url:
                        self.stdout.write(f"Health: {url}/healthz, {url}/readyz, {url}/metrics")
                    await run_live(bot, client, settings.DISCORD_TOKEN, policy=policy, say=self.stdout.write, web=None)
        finally:
            await close_async_connections()

    def list_commands(self, *, json_output: bool) -> None:
        catalog = asyncio.run(command_catalog())
        if json_output:
            self.stdout.write(json.dumps(catalog, indent=2, ensure_ascii=False))
            return
        self.stdout.write("| command | what it does | options | needs |\n| --- | --- | --- | --- |")
        for c in catalog:
            options = ", ".join(
                f"`{o['name']}`{'' if o['required'] else ' (optional)'}: {o['description']}" for o in c["options"]
            )
            needs = ", ".join(DISCORD_NAMES.get(p, p.replace("_", " ").title()) for p in c["permissions"]) or "—"
            self.stdout.write(f"| `/{c['name']}` | {c['description']} | {options or '—'} | {needs} |")
