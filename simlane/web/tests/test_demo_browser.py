"""`simlane run`'s demo in a real browser: open the printed address, log in as the demo server's admin through the
Discord stand-in, and see the demo server with SimLane in it."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from simlane.core.db import close_async_connections, demo_database
from simlane.discord_bot.demo import Console, DemoOptions, DemoRun, demo_main
from simlane.discord_bot.runtime import WebAddress

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True, databases=["default", "demo"])]


class DemoInThread:
    """The demo (bot, simulator, stand-in and dashboard on one event loop) in a thread: Playwright's sync API runs
    its own loop in the test's thread. It runs until ``stop``."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.run: DemoRun | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="simlane-demo", daemon=True)

    def _main(self) -> None:
        async def until(run: DemoRun) -> None:
            self.run, self._loop, self._stop = run, asyncio.get_running_loop(), asyncio.Event()
            self._ready.set()
            await self._stop.wait()

        async def main() -> None:
            try:
                # Real-time clock: between polls the results job sleeps, leaving the CPU to the browser.
                options = DemoOptions(speed=1, web=WebAddress("127.0.0.1", 0))
                await demo_main(options, Console(self.lines.append, self.lines.append), until)
            finally:
                await close_async_connections()
                self._ready.set()

        with demo_database():
            asyncio.run(main())

    def start(self) -> DemoRun:
        self._thread.start()
        assert self._ready.wait(60) and self.run is not None, "\n".join(self.lines)
        return self.run

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture
def demo() -> Iterator[DemoRun]:
    running = DemoInThread()
    yield running.start()
    running.stop()


def test_a_newcomer_opens_the_demo_dashboard_and_logs_in_as_the_demo_admin(demo: DemoRun, page: Page):
    assert demo.dashboard is not None
    page.goto(demo.dashboard)
    page.get_by_test_id("login-discord").click()

    # The local Discord stand-in offers the demo server's users: no account needed.
    expect(page.locator('button[data-user="driver-fan"]')).to_be_visible()
    page.locator('button[data-user="league-admin"]').click()
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    card = page.locator(f'li.card[data-guild="{demo.server.guild.id}"]')
    expect(card).to_contain_text("SimLane Demo League")
    expect(card.get_by_text("SimLane is here")).to_be_visible()
