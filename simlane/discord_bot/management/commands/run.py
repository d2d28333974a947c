"""``simlane run``: SimLane's main job — the Discord bot, the results poller and the periodic jobs, in one process.

With ``DISCORD_TOKEN`` and iRacing credentials it serves your Discord servers. Without them it runs the demo: the
local iRacing simulator on an accelerated clock and an offline Discord (simcord) with a demo server whose members
track drivers, so a newcomer sees real result posts within a minute and nothing to configure.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.core.db import close_async_connections, demo_database
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.demo import run_demo
from simlane.discord_bot.runtime import run_live
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.services import client_config_from_settings, iracing_client_create
from simlane.iracing.simulator import SimClock, Simulator
from simlane.iracing.simulator.local import demo_client_config
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

    def handle(self, *args: Any, **opts: Any) -> None:
        opts["demo"] = opts["demo"] or not client_config_from_settings().has_credentials
        if not opts["demo"]:
            call_command("migrate", verbosity=0, interactive=False)
        with demo_database() if opts["demo"] else contextlib.nullcontext(), contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self._main(opts))

    def say(self, text: str) -> None:
        self.stdout.write(text)

    async def _main(self, opts: dict[str, Any]) -> None:
        policy = PollPolicy(interval=timedelta(seconds=opts["interval"]))
        try:
            if opts["demo"]:
                await self._demo(opts, policy)
            elif not settings.DISCORD_TOKEN:
                raise CommandError("iRacing credentials are set but DISCORD_TOKEN is not; set it (see README.md).")
            else:
                self.say(f"Using iRacing at {settings.IRACING_API_BASE_URL} as {settings.IRACING_USERNAME}")
                async with iracing_client_create() as client:
                    dev_guild = int(settings.DEV_GUILD_ID) if settings.DEV_GUILD_ID else None
                    bot = SimLaneBot(dev_guild_id=dev_guild, iracing=client, loops=True)
                    await run_live(bot, client, settings.DISCORD_TOKEN, policy=policy, say=self.say)
        finally:
            await close_async_connections()

    async def _demo(self, opts: dict[str, Any], policy: PollPolicy) -> None:
        clock = SimClock(speed=opts["speed"])
        sim = Simulator(clock=clock)
        url = await sim.start()
        self.say(
            self.style.WARNING(
                f"Demo mode: no iRacing and Discord credentials, so SimLane runs against the local iRacing simulator "
                f"at {url} (clock ×{opts['speed']:g}) and an offline Discord. See README.md to use your own."
            )
        )
        try:
            async with IRacingClient(demo_client_config(url), clock=clock) as client:
                if not await self._hello(client, clock):
                    return
                bot = SimLaneBot(iracing=client, now=lambda: datetime.fromtimestamp(clock.time(), UTC))
                posted = await run_demo(bot, client, sim, policy=policy, duration=opts["duration"], say=self.say)
                m = client.metrics
                self.say(
                    f"\n{posted} results posted. Data API requests: {m.requests_sent}, downloads: {m.downloads}, "
                    f"429s: {m.rate_limited}, retries: {m.retries}"
                )
        finally:
            await sim.stop()

    async def _hello(self, client: IRacingClient, clock: SimClock) -> bool:
        """Authenticate and show the races of the next hour: proof the iRacing side works before Discord starts."""
        now = datetime.fromtimestamp(clock.time(), UTC)
        try:
            member = await client.member_info()
            series = {s.series_id: s.series_name for s in await client.series()}
            guide = await client.race_guide(start_from=now)
        except IRacingError as exc:
            self.stderr.write(self.style.ERROR(f"iRacing: {exc}"))
            return False
        self.say(self.style.SUCCESS(f"Authenticated as {member.display_name} (cust_id {member.cust_id})"))
        soon = [s for s in guide.sessions if s.start_time < now + timedelta(hours=1)]
        self.say(f"Races starting in the next hour: {len(soon)}")
        for s in soon[:6]:
            self.say(
                f"  {s.start_time:%H:%M} UTC  {series.get(s.series_id, s.series_id)}  {s.entry_count or 0} registered"
            )
        return True
