"""A local stand-in server's lifecycle: an aiohttp app on loopback, in the caller's event loop or its own thread.

The iRacing simulator and the Discord OAuth stand-in both serve this way (tests, benchmarks, the demo).
"""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class LoopbackServer:
    """Serve ``app`` on loopback; a subclass passes its app to ``__init__`` and sets ``name``."""

    name = "loopback server"  # for the thread's name and the start-up error

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (``port`` 0 picks a free one) and return the base URL."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve from a daemon thread with its own event loop (for synchronous code and separate clients)."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self.start(host, port))
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop())
            self._loop.close()

        self._thread = threading.Thread(target=run, name=self.name.lower().replace(" ", "-"), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the {self.name} did not start")
        return self.base_url

    def stop_thread(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
