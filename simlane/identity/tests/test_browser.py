"""A real browser: log in with Discord, sign in with iRacing, see the account and a car-number link verified, then
link roles on Discord (Debian's Chromium through Playwright, the ASGI server, the stand-in and the simulator)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DiscordOAuthStandin
from simlane.iracing.simulator import Simulator
from simlane.iracing.simulator.routes.oauth import AuthCodeClient
from simlane.racenumbers.models import MemberLink
from simlane.web.tests.browser import LiveWeb, page, screenshot

__all__ = ["page"]
pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]

T = TypeVar("T")
GUILD = 5101


def off_loop(call: Callable[[], T]) -> T:
    """Run ORM code in another thread: Playwright's sync API runs an event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def live_web(standin: DiscordOAuthStandin, iracing: Simulator, settings: Any) -> Iterator[str]:
    # A real browser comes back to the live server's loopback address, not the test client's "testserver".
    standin.config.redirect_uris = ()
    iracing.authcode.client = AuthCodeClient()
    web = LiveWeb()
    yield web.start()
    web.stop()


def test_a_member_signs_in_with_iracing_and_their_car_number_link_is_verified(
    page: Page, live_web: str, iracing: Simulator, standin: DiscordOAuthStandin, tmp_path: Path
):
    me = iracing.world.by_id[iracing.authcode.logins[2]]
    off_loop(lambda: call_command("discord", "register-metadata"))
    off_loop(
        lambda: MemberLink.objects.create(
            guild_id=GUILD, discord_user_id=DEMO_ADMIN_ID, cust_id=me.cust_id, iracing_name=me.display_name
        )
    )
    page.goto(live_web + "/")
    page.get_by_test_id("login-discord").click()
    page.locator('button[data-user="demo_admin"]').click()
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(live_web + "/identity/")
    page.get_by_test_id("verify-iracing").click()
    # iRacing (the simulator): pick the member, then allow.
    page.locator(f'button[data-cust-id="{me.cust_id}"]').click()
    page.get_by_test_id("iracing-allow").click()

    expect(page).to_have_url(re.compile(r"/identity/$"))
    expect(page.get_by_test_id("verified")).to_have_text(f"Verified: {me.display_name} ({me.cust_id})")
    expect(page.locator(f'li.card[data-guild="{GUILD}"]').get_by_test_id("link-verified")).to_be_visible()
    assert off_loop(lambda: MemberLink.objects.get(guild_id=GUILD).verified) is True

    page.get_by_test_id("link-roles").click()
    expect(page.get_by_text("Update your connection and metadata for this app")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_test_id("roles-linked")).to_be_visible()
    assert standin.role_connections.connections[(DEMO_ADMIN_ID, standin.config.client_id)] == {
        "platform_name": "iRacing",
        "platform_username": me.display_name,
        "metadata": {"verified_driver": "1"},
    }
    screenshot(page, "identity.png", tmp_path)
