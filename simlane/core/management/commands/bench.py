"""``simlane bench client``: benchmarks that run SimLane and a baseline in one run and print the ratio."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simlane.bench.client import run_client_bench


class Command(BaseCommand):
    help = "Benchmarks against the local iRacing simulator. The last line printed is the ratio."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="bench", required=True)
        client = sub.add_parser("client", help="SimLane's iRacing client vs iracingdataapi 1.4.4 on results/get")
        client.add_argument("--results", type=int, default=60, help="results/get payloads to fetch (default 60)")
        client.add_argument("--latency", type=float, default=0.08, help="seconds per request (default 0.08)")
        client.add_argument("--concurrency", type=int, default=4, help="SimLane's concurrency limit (default 4)")

    def handle(self, *args: Any, **opts: Any) -> None:
        result = run_client_bench(
            results=opts["results"],
            latency=opts["latency"],
            concurrency=opts["concurrency"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            f"SimLane:        {result.simlane_seconds:6.2f} s  ({result.simlane_requests} /data requests)\n"
            f"iracingdataapi: {result.baseline_seconds:6.2f} s  ({result.baseline_requests} /data requests)\n"
            f"429s seen: {result.rate_limited}"
        )
        self.stdout.write(f"ratio (iracingdataapi / SimLane wall time): {result.ratio:.2f}x")
