"""The signup card end to end: the real bot in simcord (stopped clock) creates an event with `/event create`,
posts the card through the EVENT_SYNC intent, takes signups from its button and modal, edits the card in place,
promotes from the waitlist (telling the promoted member), and its buttons still work after a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import discord
import pytest
import simcord
from asgiref.sync import sync_to_async

from simlane.clubs.models import Club, ClubDiscordSettings, ClubMember, DiscordIntent, IntentKind, IntentStatus
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.events._sync import card_post_or_edit
from simlane.discord_bot.exts.intents._cog import IntentsCog
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.events.models import Event, EventClass, EventDiscordChannel, Signup
from simlane.events.services.discord import request_event_sync
from simlane.iracing.models import Track
from simlane.results.models import GuildResultsConfig

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def simcord_bot(clock: Clock) -> AsyncIterator[SimLaneBot]:
    yield SimLaneBot(now=clock)
    await close_async_connections()


class Server:
    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        owner = env.create_user("owner")
        self.guild = env.create_guild(name="Sunday Cup", owner=owner)
        admins = self.guild.create_role(
            "Admins", permissions=discord.Permissions(manage_guild=True, manage_messages=True)
        )
        self.results = self.guild.create_text_channel("race-results")
        self.chat = self.guild.create_text_channel("general")
        self.admin = self.guild.add_member(env.create_user("admin"), roles=[admins])
        self.ana = self.guild.add_member(env.create_user("ana", global_name="Ana *Fast* Silva"))
        self.ben = self.guild.add_member(env.create_user("ben", global_name="@everyone Ben"))


async def drain(bot: SimLaneBot) -> int:
    cog = bot.get_cog("IntentsCog")
    assert isinstance(cog, IntentsCog)
    return await cog.drain()


def buttons(message: discord.Message) -> list[tuple[str | None, bool]]:
    return [(c.label, c.disabled) for row in message.components for c in row.children]  # type: ignore[union-attr]


def card(channel: simcord.ChannelHandle) -> discord.Message:
    (message,) = [
        m for m in channel.history() if m.embeds and (m.embeds[0].footer.text or "").startswith("SimLane event")
    ]
    return message


@pytest.fixture
async def server(simcord_env: simcord.Env, simcord_bot: SimLaneBot) -> Server:
    s = Server(simcord_env)
    await simcord_env.settle()
    await Track.objects.acreate(track_id=163, name="Spa-Francorchamps", config_name="Grand Prix", content_hash="x")
    await GuildResultsConfig.objects.acreate(guild_id=s.guild.id, channel_id=s.results.id)
    assert await ClubMember.objects.filter(club__guild_id=s.guild.id).acount() >= 3  # the bot's join synced them
    # These tests follow the card; event channels (tested in test_discord_*) are off, so it goes to #race-results.
    club = await Club.objects.aget(guild_id=s.guild.id)
    await ClubDiscordSettings.objects.aupdate_or_create(club=club, defaults={"auto_create_channels": False})
    return s


async def create_event(s: Server, capacity: int) -> Event:
    out = await s.admin.slash(
        s.chat, "event create", title="Thursday GT3", race="2026-05-04 19:00", track="163", capacity=capacity
    )
    assert out.ephemeral and "Created **Thursday GT3**" in reply_text(out)
    return await Event.objects.aget(club__guild_id=s.guild.id)


async def sign_up(member: simcord.MemberActor, message: discord.Message, values: dict[str, object]) -> str:
    shown = await member.click(message, label="Sign up / change")
    assert shown.modal is not None
    done = await member.submit_modal(shown, values)
    assert done.ephemeral
    return reply_text(done)


async def test_signups_from_the_card_fill_the_class_and_the_waitlist_then_promote(
    server: Server, simcord_bot: SimLaneBot, simcord_env
):
    s = server
    event = await create_event(s, capacity=1)
    gt = await EventClass.objects.aget(event=event)
    assert await drain(simcord_bot) == 1
    message = card(s.results)
    embed = message.embeds[0]
    assert embed.title == "🏁 Thursday GT3"
    assert "Spa-Francorchamps — Grand Prix" in (embed.description or "")
    assert f"<t:{int(event.race_at.timestamp())}:F>" in (embed.description or "")
    assert [(f.name, f.value) for f in embed.fields] == [("Open — 0/1", "—")]
    assert buttons(message) == [("Sign up / change", False), ("Withdraw", False)]

    assert "You are in: Open. Car number #7." in await sign_up(s.ana, message, {"class": [str(gt.id)], "number": "7"})
    assert "Open is full: you are number 1 on its waitlist" in await sign_up(s.ben, message, {"class": [str(gt.id)]})
    assert await drain(simcord_bot) == 1  # two signups, one card edit
    embed = card(s.results).embeds[0]
    assert [(f.name, f.value) for f in embed.fields] == [
        ("Open — 1/1", "1. Ana \\*Fast\\* Silva #7"),
        ("Open waitlist (1)", "1. @\u200beveryone Ben"),
    ]

    # A restart: the card's buttons still answer.
    await simcord_env.restart_bot(SimLaneBot(now=simcord_bot.now))
    bot = simcord_env.bot
    assert isinstance(bot, SimLaneBot)
    out = await s.ana.click(card(s.results), label="Withdraw")
    assert out.ephemeral and "You are withdrawn" in reply_text(out)
    assert await drain(bot) == 1
    embed = card(s.results).embeds[0]
    assert [(f.name, f.value) for f in embed.fields] == [("Open — 1/1", "1. @\u200beveryone Ben")]
    notice = s.results.last_message
    assert notice is not None and f"<@{s.ben.id}> a place opened in Open" in notice.content
    assert (await Signup.objects.aget(member__discord_user_id=s.ben.id)).promotion_announced_at is not None
    assert len([m for m in s.results.history() if m.embeds]) == 1  # edited in place, never re-posted


async def test_members_cannot_create_or_cancel_and_wrong_input_changes_nothing(
    server: Server, simcord_bot: SimLaneBot, simcord_env: simcord.Env
):
    s = server
    out = await s.ana.slash(s.chat, "event create", title="Mine", race="2026-05-04 19:00", track="163")
    assert out.ephemeral and "Manage Server" in reply_text(out)
    out = await s.admin.slash(s.chat, "event create", title="Past", race="2026-04-01 19:00", track="163")
    assert out.ephemeral and "must start in the future" in reply_text(out)
    out = await s.admin.slash(s.chat, "event create", title="Bad", race="tomorrow", track="163")
    assert out.ephemeral and "YYYY-MM-DD HH:MM" in reply_text(out)
    assert not await Event.objects.aexists()
    event = await create_event(s, capacity=5)
    out = await s.ana.slash(s.chat, "event cancel", event=str(event.id))
    assert out.ephemeral and "Manage Server" in reply_text(out)
    assert (await Event.objects.aget()).status == "open"
    assert handled_errors(simcord_env) == ["ConfigPermissionError", "EventError", "EventError", "ConfigPermissionError"]


async def test_a_card_deleted_by_someone_is_posted_again_and_a_bad_number_is_refused(
    server: Server, simcord_bot: SimLaneBot
):
    s = server
    event = await create_event(s, capacity=5)
    gt = await EventClass.objects.aget(event=event)
    await drain(simcord_bot)
    first = card(s.results)
    await s.admin.delete(first)
    out = await s.admin.slash(s.chat, "event info", event=str(event.id))
    assert out.ephemeral and "You are not signed up" in reply_text(out)
    await sync_to_async(request_event_sync)(event, NOW)
    assert await drain(simcord_bot) == 1
    second = card(s.results)
    assert second.id != first.id
    record = await EventDiscordChannel.objects.aget(event=event)
    assert record.signup_message_id == second.id
    answer = await sign_up(s.ana, second, {"class": [str(gt.id)], "number": "abc"})
    assert "A car number is 1 to 3 digits" in answer and "Nothing was changed" in answer
    assert not await Signup.objects.aexists()


async def test_autocomplete_offers_the_catalogue_and_the_clubs_events(server: Server, simcord_bot: SimLaneBot):
    s = server
    choices = await s.admin.autocomplete(s.chat, "event create", "track", "spa")
    assert [c["value"] for c in choices] == ["163"]
    event = await create_event(s, capacity=5)
    choices = await s.ana.autocomplete(s.chat, "event info", "event", "thurs")
    assert [c["value"] for c in choices] == [str(event.id)]
    assert await Club.objects.acount() == 1


async def test_without_any_channel_the_dashboard_is_told_what_to_fix(server: Server, simcord_bot: SimLaneBot):
    s = server
    await GuildResultsConfig.objects.filter(guild_id=s.guild.id).aupdate(channel_id=None)
    event = await create_event(s, capacity=5)
    assert await drain(simcord_bot) == 1
    record = await EventDiscordChannel.objects.aget(event=event)
    assert record.status == "blocked" and "/results channel" in record.status_detail
    assert await drain(simcord_bot) == 0  # no retry storm


async def test_a_crash_between_posting_the_card_and_recording_it_posts_once(server: Server, simcord_bot: SimLaneBot):
    s = server
    event = await create_event(s, capacity=5)
    assert await drain(simcord_bot) == 1
    posted = card(s.results)
    # The bot died after Discord took the card but before the record: the record is as if never written.
    await EventDiscordChannel.objects.filter(event=event).aupdate(signup_message_id=None, signup_channel_id=None)
    result = await card_post_or_edit(simcord_bot, event.id, nonce="another-attempt", recover=True)
    assert result["message_id"] == str(posted.id)
    assert card(s.results).id == posted.id  # one card, found again
    assert (await EventDiscordChannel.objects.aget(event=event)).signup_message_id == posted.id


@pytest.mark.parametrize("status", [429, 503], ids=["rate-limited", "discord-down"])
async def test_discord_failing_while_posting_the_card_is_retried_after_a_back_off(
    server: Server, simcord_bot: SimLaneBot, clock: Clock, simcord_env: simcord.Env, status: int
):
    s = server
    event = await create_event(s, capacity=5)
    simcord_env.inject_error("POST", f"/channels/{s.results.id}/messages", status=status, message="Try later.")
    assert await drain(simcord_bot) == 1
    waiting = await DiscordIntent.objects.aget(kind=IntentKind.EVENT_SYNC)
    assert (waiting.status, waiting.attempts) == (IntentStatus.QUEUED, 1) and waiting.not_before > clock()
    assert await drain(simcord_bot) == 0  # nothing before the back-off
    assert not [m for m in s.results.history() if m.embeds]
    clock.at = waiting.not_before
    assert await drain(simcord_bot) == 1
    assert card(s.results).embeds[0].title == "🏁 Thursday GT3"
    assert (await EventDiscordChannel.objects.aget(event=event)).signup_message_id == card(s.results).id


async def test_a_channel_the_bot_may_not_post_in_blocks_with_a_reason(
    server: Server, simcord_bot: SimLaneBot, simcord_env
):
    s = server
    event = await create_event(s, capacity=5)
    simcord_env.inject_error("POST", f"/channels/{s.results.id}/messages", status=403, message="Missing Permissions")
    assert await drain(simcord_bot) == 1
    record = await EventDiscordChannel.objects.aget(event=event)
    assert record.status == "blocked" and "not allowed" in record.status_detail
    assert (await DiscordIntent.objects.aget(kind=IntentKind.EVENT_SYNC)).status == IntentStatus.FAILED
    assert await drain(simcord_bot) == 0  # no retry storm
