"""The events web flow in Chromium with the real bot in simcord: an admin creates a team event, a member signs up,
the admin forms and finalises the teams, and the Discord side follows (the signup card posted, then edited in place,
then a private thread per team with its drivers).

Set SIMLANE_SCREENSHOT_DIR=docs/img to refresh the README's event page screenshot from this run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
import simcord
from playwright.async_api import Page, expect

from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.intents._cog import IntentsCog
from simlane.discord_oauth_standin import MemoryWorld
from simlane.discord_oauth_standin.world import MANAGE_GUILD, MEMBER_PERMISSIONS
from simlane.events.models import Event, EventDiscordChannel, Signup, TeamDiscord
from simlane.results.models import GuildResultsConfig

from .browser import logged_in, shoot

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]
PRIVATE_THREAD = 12


@pytest.fixture
async def simcord_bot(transactional_db: None) -> AsyncIterator[SimLaneBot]:
    yield SimLaneBot()
    await close_async_connections()


async def drain(bot: SimLaneBot) -> None:
    """The bot carries out what the web asked (its queue's loop does this every few seconds when running)."""
    cog = bot.get_cog("IntentsCog")
    assert isinstance(cog, IntentsCog)
    while await cog.drain():
        pass


async def card_of(env: simcord.Env, guild: simcord.GuildHandle, event_id: int) -> discord.Message:
    """The signup card where SimLane recorded it: in the event's own channel."""
    record = await EventDiscordChannel.objects.aget(event_id=event_id)
    assert record.text_channel_id is not None and record.signup_channel_id == record.text_channel_id
    channel = guild.channels[str(env.backend.get_channel(record.text_channel_id).name)]
    (message,) = [m for m in channel.history() if m.id == record.signup_message_id]
    return message


def roster(card: discord.Message) -> str:
    return "\n".join(str(f.value) for f in card.embeds[0].fields)


async def open_event(page: Page, club: str, title: str) -> None:
    await page.get_by_role("link", name=club).first.click()
    await page.get_by_role("link", name="Events").click()
    await page.get_by_role("link", name=title).click()


async def test_an_admin_creates_an_event_a_member_signs_up_teams_are_formed_and_discord_follows(
    simcord_env: simcord.Env, simcord_bot: SimLaneBot, world: MemoryWorld, live_web: str, screens: Path
):
    guild = simcord_env.create_guild(name="Sunday Cup")
    guild.create_text_channel("race-results")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("race-admin"), roles=[admins])
    ana = guild.add_member(simcord_env.create_user("ana"))
    await simcord_env.settle()  # the bot joined: the club and its members are recorded
    world.add_user(admin.id, "race-admin", "Race Admin")
    world.add_user(ana.id, "ana", "Ana")
    world.add_guild(guild.id, "Sunday Cup", owner_id=admin.id, bot_present=True)
    world.add_member(guild.id, admin.id, MANAGE_GUILD | MEMBER_PERMISSIONS)
    world.add_member(guild.id, ana.id, MEMBER_PERMISSIONS)
    race_at = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    async with logged_in(live_web, "race-admin") as page:
        await page.get_by_role("link", name="Sunday Cup").first.click()
        await page.get_by_role("link", name="Events").click()
        form = page.get_by_test_id("event-create")
        await form.get_by_label("Title").fill("Spa 6 Hours")
        await form.get_by_label("Race start (UTC)").fill(race_at.strftime("%Y-%m-%dT%H:%M"))
        await form.get_by_label("Track").fill("Spa-Francorchamps")
        await form.get_by_label("Race length (minutes)").fill("360")
        await form.get_by_label("Kind").select_option("team")
        await form.get_by_role("button").last.click()
        await expect(page.get_by_text("Event created")).to_be_visible()
        await page.get_by_test_id("signup-form").get_by_role("button", name="Sign up").click()
        await expect(page.get_by_text("Your signup: confirmed")).to_be_visible()

    event = await Event.objects.aget(title="Spa 6 Hours")
    assert (event.kind, event.race_at, event.duration_minutes) == ("team", race_at, 360)
    await drain(simcord_bot)
    card = await card_of(simcord_env, guild, event.id)
    channel = simcord_env.backend.get_channel(card.channel.id)
    assert str(channel.name).startswith("club-events-spa-francorchamps-")  # the club's pattern, as Discord writes names
    assert "race-admin" in roster(card) and "ana" not in roster(card)

    async with logged_in(live_web, "ana") as page:
        await open_event(page, "Sunday Cup", "Spa 6 Hours")
        signup = page.get_by_test_id("signup-form")
        await signup.get_by_label("When can you drive?").fill("19:00-23:00")
        await signup.get_by_role("button", name="Sign up").click()
        await expect(page.get_by_text("Your signup: confirmed")).to_be_visible()
    await drain(simcord_bot)
    edited = await card_of(simcord_env, guild, event.id)
    assert edited.id == card.id  # edited in place, never a second card
    assert "ana" in roster(edited)

    async with logged_in(live_web, "race-admin") as page:
        await open_event(page, "Sunday Cup", "Spa 6 Hours")
        await page.get_by_role("link", name="Teams").click()
        teams = page.get_by_test_id("teams-form")
        for field in await teams.locator('input[name^="team_"]').all():
            await field.fill("Blue Arrows")
        await teams.get_by_role("button", name="Save and finalise").click()
        await expect(page.get_by_test_id("team")).to_contain_text("Blue Arrows")
        await drain(simcord_bot)
        await page.goto(page.url.split("teams/")[0])  # back to the event's page
        await expect(page.get_by_test_id("event-status")).to_have_text("Teams final")
        await expect(page.get_by_test_id("discord-status")).to_contain_text("Ready")
        await shoot(page, screens / "dashboard-event.png")

    (team,) = [t async for t in TeamDiscord.objects.select_related("team").filter(team__event=event)]
    assert team.thread_id is not None
    thread = simcord_env.backend.get_channel(team.thread_id)
    assert thread.type == PRIVATE_THREAD and thread.name == "Blue Arrows"
    assert set(thread.thread_members) >= {admin.id, ana.id}
    assert await Signup.objects.filter(event=event).acount() == 2
    assert await GuildResultsConfig.objects.acount() == 0  # no results channel needed: the event has its own
