"""An admin changes a setting in a real browser, and the bot in simcord uses it at once.

Set SIMLANE_SCREENSHOT_DIR=docs/img to refresh the settings page's screenshots (desktop and phone) from this run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from simlane.clubs.models import Club
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.offline import reply_text
from simlane.discord_oauth_standin import DEMO_ADMIN_ID, MemoryWorld

from .browser import logged_in_admin, shoot

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def simcord_bot() -> SimLaneBot:
    return SimLaneBot()


async def test_an_admin_sets_results_mode_on_the_web_and_the_bot_uses_it(
    simcord_env, world: MemoryWorld, live_web: str, screens: Path
):
    # One server, seen by the bot in simcord and by the admin's Discord login on the stand-in.
    guild = simcord_env.create_guild(name="Sunday Cup")
    chat = guild.create_text_channel("results")
    owner = guild.add_member(simcord_env.create_user("owner"))
    world.add_guild(guild.id, "Sunday Cup", owner_id=DEMO_ADMIN_ID)
    await Club.objects.acreate(guild_id=guild.id, name="Sunday Cup")
    before = reply_text(await owner.slash(chat, "results status"))
    assert "Races: Official and unofficial races" in before and "no channel set" in before

    async with logged_in_admin(live_web) as page:
        await page.get_by_role("link", name="Sunday Cup").click()
        await page.get_by_role("link", name="Settings").click()
        await page.get_by_label("Results channel id").fill(str(chat.id))
        await page.get_by_test_id("results-mode").select_option("official")
        await page.get_by_label("Also post league sessions").check()
        await page.get_by_role("button", name="Save results settings").click()
        await expect(page.get_by_text("Results settings saved.")).to_be_visible()
        await expect(page.get_by_test_id("results-mode")).to_have_value("official")
        await shoot(page, screens / "dashboard-settings.png")
        await page.set_viewport_size({"width": 390, "height": 844})
        await shoot(page, screens / "dashboard-settings-phone.png")

    after = reply_text(await owner.slash(chat, "results status"))
    assert f"Channel: <#{chat.id}>" in after
    assert "Races: Official races only" in after
