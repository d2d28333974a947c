"""``simlane run``: SimLane's main job — the Discord bot, the results poller, the periodic jobs and the web dashboard,
in one process and one event loop.

With ``DISCORD_TOKEN`` and iRacing credentials it serves your Discord servers. Without them it runs the demo: the
local iRacing simulator on an accelerated clock and an offline Discord (simcord) with a demo server whose members
track drivers, so a newcomer sees real result posts within a minute and nothing to configure, and logs in to the
dashboard through a local stand-in for Discord's login.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.core.db import close_async_connections, demo_database
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.demo import Console, DemoOptions, DemoRun, Until, demo_main
from simlane.discord_bot.runtime import WebAddress, run_live
from simlane.iracing.services import client_config_from_settings, extra_account_configs, iracing_client_create
from simlane.results.poller import PollPolicy


class Command(BaseCommand):
    help = "Run SimLane. Without Discord and iRacing credentials this is a demo with an offline Discord and simulator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="run the demo even if credentials are set")
        parser.add_argument("--speed", type=float, default=60.0, help="demo clock speed (default 60: 1 h/min)")
        parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
        parser.add_argument(
            "--interval", type=float, default=120.0, help="poll interval in (simulated) seconds (default 120)"
        )
        parser.add_argument("--web-host", default=settings.WEB_HOST, help="dashboard address (default: WEB_HOST)")
        parser.add_argument(
            "--web-port", type=int, default=settings.WEB_PORT, help="dashboard port (default: WEB_PORT)"
        )
        parser.add_argument("--no-web", action="store_true", help="run without the web dashboard")

    def handle(self, *args: Any, **opts: Any) -> None:
        opts["demo"] = opts["demo"] or not client_config_from_settings().has_credentials
        if not opts["demo"]:
            call_command("migrate", verbosity=0, interactive=False)
        with demo_database() if opts["demo"] else contextlib.nullcontext(), contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self._main(opts))

    def say(self, text: str) -> None:
        self.stdout.write(text)

    async def _main(self, opts: dict[str, Any]) -> None:
        web = None if opts["no_web"] else WebAddress(opts["web_host"], opts["web_port"])
        try:
            if opts["demo"]:
                console = Console(self.say, self.stderr.write, self.style.WARNING, self.style.SUCCESS)
                options = DemoOptions(speed=opts["speed"], interval=opts["interval"], web=web)
                await demo_main(options, console, until=self._until(opts["duration"]))
            elif not settings.DISCORD_TOKEN:
                raise CommandError("iRacing credentials are set but DISCORD_TOKEN is not; set it (see README.md).")
            else:
                extra = extra_account_configs()
                users = ", ".join([settings.IRACING_USERNAME, *(c.username for c in extra)])
                self.say(f"Using iRacing at {settings.IRACING_API_BASE_URL} as {users}")
                policy = PollPolicy(interval=timedelta(seconds=opts["interval"]))
                async with contextlib.AsyncExitStack() as stack:
                    client = await stack.enter_async_context(iracing_client_create())
                    # The poller's extra accounts: each its own token and rate budget.
                    accounts = [await stack.enter_async_context(iracing_client_create(config=c)) for c in extra]
                    dev_guild = int(settings.DEV_GUILD_ID) if settings.DEV_GUILD_ID else None
                    bot = SimLaneBot(dev_guild_id=dev_guild, iracing=client, loops=True)
                    await run_live(
                        bot, client, settings.DISCORD_TOKEN, policy=policy, say=self.say, web=web, accounts=accounts
                    )
        finally:
            await close_async_connections()

    @staticmethod
    def _until(duration: float) -> Until:
        async def until(_run: DemoRun) -> None:
            if duration:
                await asyncio.sleep(duration)
            else:
                await asyncio.Event().wait()  # until Ctrl-C

        return until
