"""What the browser tests share: the dashboard served on a free loopback port, a Chromium page, screenshots.

Fixtures here are re-exported by ``conftest.py`` for the web tests (other apps' browser tests import them).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page as AsyncPage
from playwright.async_api import async_playwright, expect
from playwright.sync_api import Page, sync_playwright

from simlane.discord_oauth_standin import DiscordOAuthStandin
from simlane.web.server import serve_web

CHROMIUM = Path("/usr/bin/chromium")


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


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    """Where screenshots go: ``SIMLANE_SCREENSHOT_DIR`` (to refresh the README's) or the test's own folder."""
    target = Path(os.environ.get("SIMLANE_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    target = Path(os.environ.get("SIMLANE_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / name), full_page=True)
    assert (target / name).stat().st_size > 5000  # a rendered page, not a blank one


async def shoot(page: AsyncPage, path: Path) -> None:
    assert len(await page.screenshot(path=str(path), full_page=True)) > 5000  # a rendered page, not a blank one


@contextlib.asynccontextmanager
async def logged_in(live_web: str, username: str) -> AsyncIterator[AsyncPage]:
    """Chromium on the dashboard's home page, logged in through the Discord stand-in as ``username`` (for tests
    that run the bot in simcord on the same event loop, so Playwright's async API)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = await browser.new_context(viewport={"width": 1100, "height": 900})
            context.set_default_timeout(15000)
            page = await context.new_page()
            await page.goto(live_web + "/")
            await page.get_by_test_id("login-discord").click()
            await page.locator(f'button[data-user="{username}"]').click()
            await page.get_by_role("button", name="Authorize").click()
            await expect(page).to_have_url(re.compile(r"/dashboard/$"))
            yield page
        finally:
            await browser.close()


@contextlib.asynccontextmanager
async def logged_in_admin(live_web: str) -> AsyncIterator[AsyncPage]:
    """Chromium logged in as the demo admin (see ``logged_in``)."""
    async with logged_in(live_web, "demo_admin") as page:
        yield page
