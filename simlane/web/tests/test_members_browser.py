"""An admin settles a member-sync conflict in a real browser: the bot in simcord synced a server whose nickname
matches two iRacing drivers; the admin confirms one on the members page and sees the member linked (pending).

Set SIMLANE_SCREENSHOT_DIR=docs/img to refresh the members page's screenshots (desktop and phone) from this run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
from django.core.cache import cache
from playwright.async_api import expect

from simlane.clubs.models import Club
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.offline import reply_text
from simlane.discord_oauth_standin import DEMO_ADMIN_ID, MemoryWorld
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.racenumbers.models import MemberLink

from .browser import logged_in_admin, shoot

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]

T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC).timestamp()


@pytest.fixture
async def simcord_bot(transactional_db: None) -> AsyncIterator[SimLaneBot]:
    """The bot with the iRacing simulator behind it (600 members, seed 3: "Mika Lefèvre" is two drivers)."""
    clock = SimClock(start=T0, speed=0)
    sim = Simulator(SimulatorConfig(members=600, seed=3), clock=clock)
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=clock) as client:
            yield SimLaneBot(iracing=client)
    finally:
        await sim.stop()
        await close_async_connections()


async def test_an_admin_confirms_one_candidate_of_a_conflict_and_the_member_is_linked(
    simcord_env, world: MemoryWorld, live_web: str, screens: Path
):
    guild = simcord_env.create_guild(name="Sunday Cup")
    chat = guild.create_text_channel("general")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("admin"), roles=[admins])
    world.add_guild(guild.id, "Sunday Cup", owner_id=DEMO_ADMIN_ID)
    await Club.objects.acreate(guild_id=guild.id, name="Sunday Cup")
    guild.add_member(simcord_env.create_user("ana"), nick="[APX] Ana Chen #23")  # one driver: a proposal
    guild.add_member(simcord_env.create_user("omer"), nick="ÖMER SMITH 🏁")
    mika = guild.add_member(simcord_env.create_user("mika"), nick="Mika Lefèvre")  # two drivers: a conflict
    synced = reply_text(await admin.slash(chat, "members sync"))
    assert "2 proposals to confirm, 1 conflict" in synced

    async with logged_in_admin(live_web) as page:
        await page.get_by_role("link", name="Sunday Cup").click()
        await page.get_by_role("link", name="Members").click()
        await expect(page.get_by_test_id("proposal")).to_have_count(2)
        conflict = page.get_by_test_id("conflict")
        await expect(conflict).to_contain_text("the nickname matches 2 iRacing drivers")
        await shoot(page, screens / "dashboard-members.png")
        await page.set_viewport_size({"width": 390, "height": 844})
        await shoot(page, screens / "dashboard-members-phone.png")
        await page.set_viewport_size({"width": 1100, "height": 900})

        await conflict.get_by_role("button", name="Confirm Mika Lefèvre (104077)").click()
        await expect(page.get_by_text("Linked to Mika Lefèvre (104077), not verified yet")).to_be_visible()
        await expect(page.get_by_test_id("conflict")).to_have_count(0)
        await expect(page.get_by_text("No conflicts.")).to_be_visible()
        row = page.get_by_test_id("member").filter(has_text="Mika Lefèvre")
        await expect(row).to_contain_text("104077")
        await expect(row).to_contain_text("pending")

    link = await MemberLink.objects.aget(discord_user_id=mika.id)
    assert (link.guild_id, link.cust_id, link.verified) == (guild.id, 104077, False)
