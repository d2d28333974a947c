"""/schedule and /raceguide through the real bot in simcord, on data synced from the simulator."""

from __future__ import annotations

import itertools
import re

import discord
import pytest

from simlane.conftest import SIM_NOW
from simlane.discord_bot.bot import SimLaneBot
from simlane.iracing.sync.jobs import refresh_forecasts, sync_reference, sync_seasons

NOW = SIM_NOW
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def synced(transactional_db, stopped_sim):
    _sim, client = stopped_sim
    await sync_reference(client)
    await sync_seasons(client)
    await refresh_forecasts(client, now=NOW)
    return stopped_sim


@pytest.fixture
def simcord_bot(synced):
    _sim, client = synced
    return SimLaneBot(iracing=client, now=lambda: NOW)


async def test_schedule_shows_this_and_next_week_with_local_times_bop_and_weather(synced, simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    member = guild.add_member(simcord_env.create_user("fan"))
    choices = await member.autocomplete(channel, "schedule", "series", "GT3")
    assert {"name": "SimLane GT3 Challenge", "value": "1002"} in choices
    result = await member.slash(channel, "schedule", series="1002")
    assert result.response is not None
    embed = result.response.embeds[0]
    assert embed.title == "📅 SimLane GT3 Challenge"
    this_week, next_week = embed.fields[0], embed.fields[1]
    assert this_week.name.startswith("This week") and next_week.name.startswith("Next week")
    stamps = [int(t) for t in re.findall(r"<t:(\d+):t>", str(this_week.value))]
    assert stamps and stamps[0] >= NOW.timestamp() and all(b - a == 3600 for a, b in itertools.pairwise(stamps))
    assert "(forecast), rain chance up to" in str(this_week.value) and "Car restrictions:" in str(this_week.value)
    assert "Weather:" in str(next_week.value)
    chart = result.response.attachments[0]
    assert chart.filename == "forecast.png" and embed.image.url == "attachment://forecast.png"
    png = await chart.read()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


async def test_raceguide_lists_the_next_races_of_followed_series(synced, simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    admin_role = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("admin"), roles=[admin_role])
    everything = await admin.slash(channel, "raceguide next")
    assert everything.response is not None
    lines = str(everything.response.embeds[0].description).splitlines()
    assert len(lines) > 5 and any("Formula Vee" in line for line in lines)
    await admin.slash(channel, "raceguide follow", series="1002")
    followed = await admin.slash(channel, "raceguide next")
    assert followed.response is not None
    lines = str(followed.response.embeds[0].description).splitlines()
    assert lines and all("GT3 Challenge" in line for line in lines)
