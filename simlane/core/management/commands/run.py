"""``simlane run``: SimLane's main job.

With iRacing credentials configured it talks to iRacing; without them it starts the local simulator on an
accelerated clock (the demo), so a newcomer sees the client work within seconds and with nothing to configure.
At this stage the job shows the race guide and then every race that finishes; the Discord bot joins it later.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from simlane.core.db import close_async_connections
from simlane.iracing.client import IRacingClient, IRacingError, MaintenanceError
from simlane.iracing.services import client_config_from_settings, iracing_client_create
from simlane.iracing.simulator import SimClock, Simulator
from simlane.iracing.simulator.local import demo_client_config


class Command(BaseCommand):
    help = "Run SimLane. Without iRacing credentials this is a demo against the local iRacing simulator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="use the simulator even if credentials are set")
        parser.add_argument("--speed", type=float, default=60.0, help="demo clock speed (default 60: 1 h/min)")
        parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between checks (default 5)")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self._main(opts))

    async def _main(self, opts: dict[str, Any]) -> None:
        demo = opts["demo"] or not client_config_from_settings().has_credentials
        sim: Simulator | None = None
        if demo:
            clock = SimClock(speed=opts["speed"])
            sim = Simulator(clock=clock)
            url = await sim.start()
            self.stdout.write(
                self.style.WARNING(
                    f"No iRacing credentials configured: demo mode against the local iRacing simulator at {url} "
                    f"(clock ×{opts['speed']:g}). See README.md to use your own credentials."
                )
            )
            client = IRacingClient(demo_client_config(url), clock=clock)
        else:
            self.stdout.write(f"Using iRacing at {settings.IRACING_API_BASE_URL} as {settings.IRACING_USERNAME}")
            client = iracing_client_create()
        try:
            async with client:
                await self._show(client, opts, sim)
        finally:
            if sim:
                await sim.stop()
            await close_async_connections()

    async def _show(self, client: IRacingClient, opts: dict[str, Any], sim: Simulator | None) -> None:
        clock = sim.clock if sim else None
        now = datetime.fromtimestamp(clock.time(), UTC) if clock else datetime.now(UTC)
        try:
            series = {s.series_id: s.series_name for s in await client.series()}
            guide = await client.race_guide(start_from=now)
        except IRacingError as exc:
            self.stderr.write(self.style.ERROR(f"iRacing: {exc}"))
            return
        member = await client.member_info()
        self.stdout.write(self.style.SUCCESS(f"Authenticated as {member.display_name} (cust_id {member.cust_id})"))
        soon = [s for s in guide.sessions if s.start_time < now + timedelta(hours=1)]
        self.stdout.write(f"\nRaces starting in the next hour ({len(soon)}):")
        for s in soon:
            name = series.get(s.series_id, f"series {s.series_id}")
            self.stdout.write(f"  {s.start_time:%H:%M} UTC  {name:<32} {s.entry_count or 0:>3} registered")
        self.stdout.write("\nWatching for finished races (Ctrl-C to stop)...")
        last = now
        started = asyncio.get_running_loop().time()
        while not opts["duration"] or asyncio.get_running_loop().time() - started < opts["duration"]:
            await asyncio.sleep(opts["interval"])
            until = datetime.fromtimestamp(clock.time(), UTC) if clock else datetime.now(UTC)
            try:
                rows = await client.search_series(finish_range_begin=last, finish_range_end=until, event_types=[5])
            except MaintenanceError:
                self.stdout.write("iRacing is in maintenance; trying again later")
                continue
            except IRacingError as exc:
                self.stderr.write(f"iRacing: {exc}")
                continue
            last = until
            for row in rows:
                track = row.track.full_name if row.track else "?"
                self.stdout.write(
                    f"  🏁 {row.end_time:%H:%M} {row.series_name} at {track}: won by {row.winner_name} "
                    f"({row.num_drivers} drivers, SOF {row.event_strength_of_field}, subsession {row.subsession_id})"
                )
        m = client.metrics
        self.stdout.write(
            f"\nData API requests: {m.requests_sent}, downloads: {m.downloads}, "
            f"429s: {m.rate_limited}, retries: {m.retries}"
        )
