"""`/raceguide follow` refuses a series past the limit and says what it saved; `/raceguide unfollow` removes one.

The real bot in simcord, on series synced from the simulator (the fixtures of test_schedule).
"""

from __future__ import annotations

import discord
import pytest

from simlane.discord_bot.models import GuildSettings
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.discord_bot.services import MAX_FOLLOWED_SERIES

from .test_schedule import simcord_bot, synced  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
OTHER_SERIES = list(range(90_001, 90_001 + MAX_FOLLOWED_SERIES - 1))  # ids the race guide may follow


async def followed(guild_id: int) -> list[int]:
    return list((await GuildSettings.objects.aget(guild_id=guild_id)).followed_series)


async def test_the_twenty_sixth_series_is_refused_and_nothing_changes(synced, simcord_env):  # noqa: F811
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    admin_role = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("admin"), roles=[admin_role])
    await GuildSettings.objects.acreate(guild_id=guild.id, followed_series=OTHER_SERIES)

    result = await admin.slash(channel, "raceguide follow", series="1002")
    assert "now follows SimLane GT3 Challenge: 25 of 25 series." in reply_text(result)
    again = await admin.slash(channel, "raceguide follow", series="1002")
    assert "already follows SimLane GT3 Challenge: 25 of 25 series." in reply_text(again)
    assert await followed(guild.id) == [*OTHER_SERIES, 1002]

    refused = await admin.slash(channel, "raceguide follow", series="1001")
    assert refused.ephemeral and "already follows 25 series, the most it can follow (25)" in reply_text(refused)
    assert "Nothing was changed." in reply_text(refused)
    assert handled_errors(simcord_env) == ["FollowError"]
    assert await followed(guild.id) == [*OTHER_SERIES, 1002]

    # Unfollow offers the followed series by name, and frees a place.
    choices = await admin.autocomplete(channel, "raceguide unfollow", "series", "gt3")
    assert choices == [{"name": "SimLane GT3 Challenge", "value": "1002"}]
    assert len(await admin.autocomplete(channel, "raceguide unfollow", "series", "")) == 25
    gone = await admin.slash(channel, "raceguide unfollow", series="1002")
    assert "no longer follows SimLane GT3 Challenge. 24 series left." in reply_text(gone)
    assert await followed(guild.id) == OTHER_SERIES
    assert "now follows" in reply_text(await admin.slash(channel, "raceguide follow", series="1001"))

    not_followed = await admin.slash(channel, "raceguide unfollow", series="1002")
    assert not_followed.ephemeral and "does not follow that series" in reply_text(not_followed)
    member = guild.add_member(simcord_env.create_user("member"))
    denied = await member.slash(channel, "raceguide unfollow", series="1001")
    assert denied.ephemeral and "You need Manage Server" in reply_text(denied)
    assert handled_errors(simcord_env) == ["FollowError", "ConfigPermissionError"]
    assert 1001 in await followed(guild.id)
