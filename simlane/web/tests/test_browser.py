"""A real browser (Debian's Chromium through Playwright) against the real ASGI server and the Discord stand-in.

Set SIMLANE_SCREENSHOT_DIR=docs/img to refresh the README's screenshots from this run.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from simlane.clubs.models import Club
from simlane.discord_oauth_standin import DEMO_GUILD_ID

from .browser import screenshot

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]


def linked_clubs() -> list[tuple[int, bool]]:
    """Read the database from another thread: Playwright's sync API runs an event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: list(Club.objects.values_list("guild_id", "active"))).result()


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
