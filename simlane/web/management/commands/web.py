"""``simlane web``: the dashboard alone. Without DISCORD_CLIENT_ID it is a demo with a local Discord stand-in."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from simlane.core.db import demo_database
from simlane.web.demo import standin_discord
from simlane.web.server import serve_web


class Command(BaseCommand):
    help = "Serve the web dashboard (uvicorn). Without Discord credentials: a demo with a local Discord stand-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="use the local Discord stand-in even with credentials")

    def handle(self, *args: Any, **opts: Any) -> None:
        demo = opts["demo"] or not settings.DISCORD_CLIENT_ID
        with demo_database() if demo else contextlib.nullcontext(), contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self._serve(opts["host"], opts["port"], demo=demo))

    async def _serve(self, host: str, port: int, *, demo: bool) -> None:
        if not demo:
            await serve_web(host, port, announce=self.stdout.write)
            return
        async with standin_discord() as standin:
            self.stdout.write(f"Demo Discord (local stand-in, log in as a demo user): {standin.base_url}/")
            await serve_web(host, port, announce=self.stdout.write)
