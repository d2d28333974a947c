"""A real browser (Debian's Chromium through Playwright) against the real ASGI server and the Discord stand-in.

Set SIMLANE_SCREENSHOT_DIR=docs/img to refresh the README's screenshots from this run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from simlane.clubs.models import Club
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DiscordOAuthStandin
from simlane.web.server import serve_web

from .conftest import CHROMIUM

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]


class LiveWeb:
    """``serve_web`` on a free loopback port, in a thread with its own event loop."""

    def __init__(self) -> None:
        self.url = ""
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, name="live-web", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()

            def announce(line: str) -> None:
                self.url = line.rsplit(" ", 1)[-1].rstrip("/")
                self._started.set()

            with contextlib.suppress(asyncio.CancelledError):
                await serve_web("127.0.0.1", 0, announce=announce)

        asyncio.run(main())

    def start(self) -> str:
        self._thread.start()
        assert self._started.wait(20), "the dashboard did not start"
        return self.url

    def stop(self) -> None:
        if self._loop and self._task:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(20)


@pytest.fixture
def live_web(standin: DiscordOAuthStandin, settings: Any) -> Iterator[str]:
    # The stand-in's registered redirects are the test client's; a real browser comes back to the live server.
    standin.config.redirect_uris = ()
    web = LiveWeb()
    yield web.start()
    web.stop()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1100, "height": 720})
        context.set_default_timeout(15000)
        try:
            yield context.new_page()
        finally:
            browser.close()


def linked_clubs() -> list[tuple[int, bool]]:
    """Read the database from another thread: Playwright's sync API runs an event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: list(Club.objects.values_list("guild_id", "active"))).result()


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    target = Path(os.environ.get("SIMLANE_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / name), full_page=True)
    assert (target / name).stat().st_size > 5000  # a rendered page, not a blank one


def test_an_admin_logs_in_with_discord_and_adds_simlane_to_their_server(page: Page, live_web: str, tmp_path: Path):
    page.goto(live_web + "/")
    page.get_by_test_id("login-discord").click()

    # Discord (the stand-in): log in as the demo server admin, then authorize the login.
    page.locator('button[data-user="demo_admin"]').click()
    expect(page.get_by_text("Know what servers you're in")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    card = page.locator(f'li.card[data-guild="{DEMO_GUILD_ID}"]')
    expect(card).to_contain_text("SimLane Demo Club")
    expect(page.get_by_text("Another League")).to_have_count(0)
    page.get_by_role("button", name="Refresh").click()  # an htmx partial from the vendored script
    expect(card.get_by_role("button", name="Add SimLane")).to_be_visible()

    card.get_by_role("button", name="Add SimLane").click()
    # The bot authorization: the server is preselected and locked; the 2026 permissions are asked for.
    expect(page.locator("select#guild")).to_be_disabled()
    expect(page.locator("select#guild")).to_have_value(str(DEMO_GUILD_ID))
    expect(page.get_by_text("Create Events")).to_be_visible()
    expect(page.get_by_text("Pin Messages")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_text("SimLane is now on SimLane Demo Club")).to_be_visible()
    expect(card.get_by_text("SimLane is here")).to_be_visible()
    assert linked_clubs() == [(DEMO_GUILD_ID, True)]

    screenshot(page, "dashboard.png", tmp_path)
    page.set_viewport_size({"width": 390, "height": 760})
    # On a phone the card stacks and nothing overflows sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "dashboard-phone.png", tmp_path)
