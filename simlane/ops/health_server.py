"""A small health port for processes that serve no web app (the bot): ``/healthz``, ``/readyz``, ``/metrics``.

The same answers as the web app's, from the process's own event loop; ``gateway`` is how the process sees its own
Discord connection, which only it can tell.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from simlane.core.loopback import LoopbackServer

from . import aio
from .readiness import Check


class HealthServer(LoopbackServer):
    name = "health server"

    def __init__(self, kind: str, gateway: Callable[[], Check] | None = None) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        super().__init__(app)
        self.kind = kind
        self.gateway = gateway

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def readyz(self, _request: web.Request) -> web.Response:
        gateway = self.gateway() if self.gateway else None
        report = await aio.readiness_report(self.kind, now=datetime.now(UTC), gateway=gateway)
        return web.json_response(report.as_dict(), status=200 if report.ready else 503)

    async def metrics(self, _request: web.Request) -> web.Response:
        body = await aio.metrics_render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


@contextlib.asynccontextmanager
async def health_port(
    kind: str, host: str, port: int | None, gateway: Callable[[], Check] | None = None
) -> AsyncIterator[str | None]:
    """Serve the health port while the block runs (``port`` None: not served); yield its base URL."""
    if port is None:
        yield None
        return
    server = HealthServer(kind, gateway)
    url = await server.start(host, port)
    try:
        yield url
    finally:
        await server.stop()
