"""``simlane simulator``: run the local iRacing simulator until interrupted."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_environment


class Command(BaseCommand):
    help = "Run the local iRacing Data API simulator (OAuth, /data, links, rate limit, faults) on loopback."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the simulated world (default 1)")
        parser.add_argument("--members", type=int, default=2000, help="members in the world (default 2000)")
        parser.add_argument("--speed", type=float, default=1.0, help="clock speed; 60 = one hour per minute")
        parser.add_argument("--rate-limit", type=int, default=240, help="requests per minute (default 240)")
        parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every /data response")
        parser.add_argument("--replay", type=Path, help="serve recorded service.method.json files from DIR")
        parser.add_argument(
            "--fault",
            action="append",
            default=[],
            metavar="KIND[:COUNT]",
            help="inject a fault, e.g. 500:3, maintenance:10, expired_link (repeatable)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        config = SimulatorConfig(
            seed=opts["seed"],
            members=opts["members"],
            rate_limit=opts["rate_limit"],
            latency=opts["latency"],
            replay_dir=opts["replay"],
        )
        sim = Simulator(config, clock=SimClock(speed=opts["speed"]))
        for spec in opts["fault"]:
            kind, _, count = spec.partition(":")
            sim.faults.add(kind, int(count or 1))
        asyncio.run(self._serve(sim, opts["host"], opts["port"]))

    async def _serve(self, sim: Simulator, host: str, port: int) -> None:
        url = await sim.start(host, port)
        self.stdout.write(self.style.SUCCESS(f"iRacing simulator listening on {url}"))
        self.stdout.write("Point SimLane at it with:")
        for key, value in demo_environment(url).items():
            self.stdout.write(f"  export {key}={value}")
        try:
            await asyncio.Event().wait()
        finally:
            await sim.stop()
