"""End to end: the web enqueues through the API (Django test client), the real bot drains the queue in simcord,
and the message (or the reason it could not be sent) is what the admin then reads on the page and the API; the bot's
health snapshot, computed by the real bot from simcord's permissions, read back in words on the dashboard partial."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
import simcord
from asgiref.sync import sync_to_async
from django.test import Client

from simlane.clubs.models import Club, DiscordIntent, IntentStatus
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.intents._cog import IntentsCog
from simlane.discord_bot.exts.intents._handlers import TEST_TITLE
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.discord_oauth_standin import DEMO_GUILD_ID
from simlane.results.services import results_channel_set

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
API = f"/api/servers/{DEMO_GUILD_ID}"


class Clock:
    """The bot's clock: the web's time (it stamps the intents), which a test jumps forward instead of sleeping."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def jump(self, by: timedelta) -> None:
        self.ahead += by


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def simcord_bot(clock: Clock) -> AsyncIterator[SimLaneBot]:
    yield SimLaneBot(now=clock)
    await close_async_connections()  # the async ORM's thread holds its own connection


class Admin:
    """The demo server's admin in a browser: a logged-in Django test client, called from the event loop."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def get(self, path: str) -> Any:
        return await sync_to_async(self.client.get)(path)

    async def post(self, path: str) -> Any:
        return await sync_to_async(self.client.post)(path)

    async def patch(self, path: str, data: dict[str, Any]) -> Any:
        return await sync_to_async(self.client.patch)(path, data=data, content_type="application/json")


@pytest.fixture
async def admin(client: Client, standin: Any) -> Admin:
    await sync_to_async(login)(client)
    return Admin(client)


def intents_cog(bot: SimLaneBot) -> IntentsCog:
    cog = bot.get_cog("IntentsCog")
    assert isinstance(cog, IntentsCog)
    return cog


async def server(
    env: simcord.Env, bot: SimLaneBot, for_bot: discord.PermissionOverwrite | None = None
) -> simcord.ChannelHandle:
    """The demo server in simcord, linked to SimLane, with a #race-results channel (overwrites for the bot)."""
    guild = env.create_guild("SimLane Demo Club", id=DEMO_GUILD_ID)
    await env.settle()
    me = bot.get_guild(DEMO_GUILD_ID)
    assert me is not None and me.me is not None
    channel = guild.create_text_channel("race-results", overwrites={me.me: for_bot} if for_bot else None)
    # The bot's join already recorded the club (club_seen); the test only makes sure it is there.
    await Club.objects.aget_or_create(guild_id=DEMO_GUILD_ID, defaults={"name": "SimLane Demo Club"})
    await env.settle()
    return channel


def sent_tests(channel: simcord.ChannelHandle) -> list[discord.Message]:
    return [m for m in channel.history() if any(e.title == TEST_TITLE for e in m.embeds)]


async def test_the_web_asks_and_the_bot_posts_once(simcord_env, simcord_bot, admin):
    channel = await server(simcord_env, simcord_bot)
    cog = intents_cog(simcord_bot)
    assert (await admin.post(f"{API}/bot/check")).status_code == 202
    assert await cog.drain() == 1  # the bot looks at the server: the channel list now has #race-results
    changed = await admin.patch(f"{API}/settings", {"results_channel_id": str(channel.id)})
    assert changed.status_code == 200, changed.content
    queued = await admin.post(f"{API}/test-post")
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert sent_tests(channel) == []  # the web process sent nothing itself

    assert await cog.drain() == 2  # the health check the settings change asked for, and the test post
    (message,) = sent_tests(channel)
    assert message.author.id == simcord_bot.user.id
    done = (await admin.get(f"{API}/intents/{queued.json()['id']}")).json()
    assert done["status"] == "done" and done["result"]["message_id"] == str(message.id)
    assert await cog.drain() == 0 and len(sent_tests(channel)) == 1


async def test_a_channel_the_bot_may_not_post_in_fails_with_a_reason_and_no_retry(simcord_env, simcord_bot, admin):
    channel = await server(simcord_env, simcord_bot, discord.PermissionOverwrite(send_messages=False))
    await sync_to_async(results_channel_set)(guild_id=DEMO_GUILD_ID, channel_id=channel.id)  # set before the change
    queued = (await admin.post(f"{API}/test-post")).json()
    cog = intents_cog(simcord_bot)
    assert await cog.drain() == 1
    failed = (await admin.get(f"{API}/intents/{queued['id']}")).json()
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert failed["reason"] == "The bot is not allowed to post in the results channel (Discord 403)."
    assert sent_tests(channel) == []
    assert await cog.drain() == 0  # not retried: another attempt cannot succeed until an admin fixes it
    page = (await admin.get(f"/dashboard/servers/{DEMO_GUILD_ID}/health/")).content.decode()
    assert "Test post in the results channel: <strong>Failed</strong> — The bot is not allowed to post" in page


async def test_a_429_is_retried_once_after_the_back_off(simcord_env, simcord_bot, admin, clock):
    channel = await server(simcord_env, simcord_bot)
    await sync_to_async(results_channel_set)(guild_id=DEMO_GUILD_ID, channel_id=channel.id)
    queued = (await admin.post(f"{API}/test-post")).json()
    simcord_env.inject_error(
        "POST", f"/channels/{channel.id}/messages", status=429, message="You are being rate limited."
    )
    cog = intents_cog(simcord_bot)
    assert await cog.drain() == 1
    waiting = await DiscordIntent.objects.aget(id=queued["id"])
    assert (waiting.status, waiting.attempts) == (IntentStatus.QUEUED, 1)
    assert "Discord 429" in waiting.reason and waiting.not_before > clock() + timedelta(seconds=5)
    assert await cog.drain() == 0  # no retry storm: nothing runs before the back-off
    assert sent_tests(channel) == []

    clock.jump(waiting.not_before - clock())
    assert await cog.drain() == 1
    assert len(sent_tests(channel)) == 1
    done = await DiscordIntent.objects.aget(id=queued["id"])
    assert (done.status, done.attempts, done.reason) == (IntentStatus.DONE, 2, "")


class Crash(BaseException):
    """The process dies (raised past every ``except Exception``)."""


class CrashAfterSend(DiscordPublisher):
    async def send(self, **kwargs: Any) -> int:
        await super().send(**kwargs)
        raise Crash  # the message is out, the intent was not marked


async def test_a_crash_between_send_and_mark_posts_once(simcord_env, simcord_bot, admin, clock):
    channel = await server(simcord_env, simcord_bot)
    await sync_to_async(results_channel_set)(guild_id=DEMO_GUILD_ID, channel_id=channel.id)
    queued = (await admin.post(f"{API}/test-post")).json()
    intents_cog(simcord_bot).publisher = CrashAfterSend(simcord_bot)
    with pytest.raises(Crash):
        await intents_cog(simcord_bot).drain()
    assert len(sent_tests(channel)) == 1
    stuck = await DiscordIntent.objects.aget(id=queued["id"])
    assert (stuck.status, stuck.attempts) == (IntentStatus.RUNNING, 1)

    restarted = SimLaneBot(now=clock)
    await simcord_env.restart_bot(restarted)
    assert await intents_cog(restarted).drain() == 0  # the dead bot's lease still holds
    clock.jump(timedelta(minutes=3))  # the lease ran out: the new process takes the intent over
    assert await intents_cog(restarted).drain() == 1
    (message,) = sent_tests(channel)
    done = await DiscordIntent.objects.aget(id=queued["id"])
    assert done.status == IntentStatus.DONE and done.result["message_id"] == str(message.id)
    assert done.result["recovered"] is True


HEALTH = f"/dashboard/servers/{DEMO_GUILD_ID}/health/"


async def test_missing_embed_links_in_the_results_channel_is_reported_in_words(simcord_env, simcord_bot, admin):
    channel = await server(simcord_env, simcord_bot, discord.PermissionOverwrite(embed_links=False))
    await sync_to_async(results_channel_set)(guild_id=DEMO_GUILD_ID, channel_id=channel.id)
    before = (await admin.get(HEALTH)).content.decode()
    assert "Not checked yet" in before

    assert (await admin.post(f"{API}/bot/check")).status_code == 202
    assert await intents_cog(simcord_bot).drain() == 1

    status = (await admin.get(f"{API}/bot")).json()
    assert status["connected"] is True
    assert [(p["where"], p["channel_id"], p["missing"]) for p in status["problems"]] == [
        ("channel", str(channel.id), ["Embed Links"])
    ]
    page = (await admin.get(HEALTH)).content.decode()
    assert "Connected, with 1 problem" in page
    assert (
        "SimLane can&#x27;t post race results in #race-results: it needs Embed Links there — give it in the "
        "channel&#x27;s permissions" in page
    )
    channels = (await admin.get(f"{API}/channels")).json()
    assert [(c["name"], c["bot_can_post"], c["missing"]) for c in channels] == [
        ("race-results", False, ["Embed Links"])
    ]


async def test_a_server_where_the_bot_has_everything_reads_as_healthy(simcord_env, simcord_bot, admin):
    channel = await server(simcord_env, simcord_bot)
    await sync_to_async(results_channel_set)(guild_id=DEMO_GUILD_ID, channel_id=channel.id)
    await admin.post(f"{API}/bot/check")
    await intents_cog(simcord_bot).drain()
    page = (await admin.get(HEALTH)).content.decode()
    assert "Connected: SimLane has every permission it needs" in page
    assert (await admin.get(f"{API}/bot")).json()["problems"] == []
