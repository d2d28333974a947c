"""Reminders, DMs and the nudge through the real bot in simcord: who is mentioned, who gets a DM, when, and that each
goes exactly once, also when the process dies between sending and recording."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.event_notices._sender import DiscordNoticeSender
from simlane.events.models import Event, EventNotice, EventStatus, NoticeKind, NoticeStatus
from simlane.events.notices.outbox import Message
from simlane.results.poller.outbox import OutboxPolicy

from .conftest import RACE, Clock, ClubWorld, notices_cog

pytestmark = pytest.mark.django_db(transaction=True)


def posted(world: ClubWorld, mark: str) -> list[discord.Message]:
    return [m for m in world.channel.history() if m.content.startswith(mark)]


def reminders(world: ClubWorld) -> list[discord.Message]:
    return posted(world, "⏰")


def dms(world: ClubWorld, name: str) -> list[discord.Message]:
    return [m for m in world.people[name].dm_channel.history() if m.content.startswith("⏰")]


async def test_reminders_go_at_each_offset_once_to_the_confirmed_roster_only(world, simcord_bot, clock: Clock):
    cog = notices_cog(simcord_bot)
    clock.at = RACE - timedelta(hours=25)
    await cog.tick()
    assert reminders(world) == []

    clock.at = RACE - timedelta(hours=24)
    await cog.tick()
    (first,) = reminders(world)
    confirmed = {world.users["alice"].id, world.users["bob"].id}
    assert {u.id for u in first.mentions} == confirmed  # the waitlist, withdrawn and others are never pinged
    assert not first.mention_everyone
    assert f"<t:{int(RACE.timestamp())}:R>" in first.content
    assert [len(dms(world, n)) for n in ("alice", "bob", "carl", "dana")] == [1, 0, 0, 0]  # only alice opted in

    clock.at = RACE - timedelta(hours=3)
    await cog.tick()
    assert len(reminders(world)) == 1  # the 24-hour reminder went once

    clock.at = RACE - timedelta(minutes=59)
    await cog.tick()
    await cog.tick()
    assert len(reminders(world)) == 2 and len(dms(world, "alice")) == 2
    clock.at = RACE + timedelta(minutes=5)
    await cog.tick()
    assert len(reminders(world)) == 2


async def test_a_bot_down_through_an_offset_sends_only_the_current_reminder(world, simcord_bot, clock: Clock):
    clock.at = RACE - timedelta(minutes=30)  # first tick after a long outage: the 24-hour reminder is stale
    await notices_cog(simcord_bot).tick()
    (only,) = reminders(world)
    keys = [n.key async for n in EventNotice.objects.filter(kind=NoticeKind.REMINDER)]
    assert keys == ["60:0"]
    assert "starts <t:" in only.content


async def test_the_nudge_mentions_only_members_who_have_not_answered_once(world, simcord_bot, clock: Clock):
    cog = notices_cog(simcord_bot)
    clock.at = RACE - timedelta(hours=30)  # 12 hours before the cut-off
    await cog.tick()
    await cog.tick()
    (nudge,) = posted(world, "📋")
    # dana has no signup; erin turned nudges off; carl (waitlisted) and frank (withdrawn) answered
    mentioned = {u.id for u in nudge.mentions}
    assert world.users["dana"].id in mentioned
    assert not mentioned & {world.users[n].id for n in ("alice", "bob", "carl", "frank", "erin")}


async def test_a_club_that_turned_nudges_off_sends_none(world, simcord_bot, clock: Clock):
    from simlane.clubs.models import ClubDiscordSettings

    await ClubDiscordSettings.objects.acreate(club=world.club, nudge_unanswered=False)
    clock.at = RACE - timedelta(hours=30)
    await notices_cog(simcord_bot).tick()
    assert posted(world, "📋") == []


class Crash(BaseException):
    """The process dies (raised past every ``except Exception``)."""


class CrashAfterSend(DiscordNoticeSender):
    async def send(self, message: Message, *, nonce: str) -> int:
        await super().send(message, nonce=nonce)
        raise Crash  # the message is out, the ledger was not marked


async def test_a_restart_between_send_and_record_sends_nothing_twice(world, simcord_env, simcord_bot, clock):
    clock.at = RACE - timedelta(minutes=45)
    notices_cog(simcord_bot).outbox.sender = CrashAfterSend(simcord_bot)
    with pytest.raises(Crash):
        await notices_cog(simcord_bot).tick()
    assert len(reminders(world)) == 1
    stuck = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    assert (stuck.status, stuck.attempts) == (NoticeStatus.CLAIMED, 1)

    restarted = SimLaneBot(now=clock)
    await simcord_env.restart_bot(restarted)
    clock.at += timedelta(minutes=1)
    assert (await notices_cog(restarted).tick()).report.recovered == 0  # the dead process's lease still holds
    clock.at += OutboxPolicy().lease  # it ran out: the restarted process takes the notice over
    tick = await notices_cog(restarted).tick()
    await notices_cog(restarted).tick()
    (message,) = reminders(world)
    done = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    assert (done.status, done.message_id) == (NoticeStatus.SENT, message.id)
    assert tick.report.recovered == 1
    assert len(dms(world, "alice")) == 1  # the DM went once too (sent after the recovery)


async def test_an_escaped_title_pings_nobody_else(simcord_env, simcord_bot, clock: Clock):
    from .conftest import club_world

    world = await club_world(simcord_env, title="@everyone <@&1> *cup*")
    clock.at = RACE - timedelta(minutes=50)
    await notices_cog(simcord_bot).tick()
    (message,) = reminders(world)
    assert not message.mention_everyone and message.role_mentions == []
    assert {u.id for u in message.mentions} == {world.users["alice"].id, world.users["bob"].id}


async def test_a_forbidden_channel_fails_the_reminder_with_a_reason_and_no_retry_storm(
    world, simcord_env, simcord_bot, clock
):
    simcord_env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=403, message="Missing Access")
    clock.at = RACE - timedelta(minutes=50)
    await notices_cog(simcord_bot).tick()
    failed = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    assert failed.status == NoticeStatus.FAILED and "403" in failed.last_error and failed.attempts == 1
    await notices_cog(simcord_bot).tick()
    assert (await EventNotice.objects.aget(kind=NoticeKind.REMINDER)).attempts == 1


async def test_a_429_backs_off_and_then_sends_once(world, simcord_env, simcord_bot, clock):
    simcord_env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=429, message="rate limited")
    clock.at = RACE - timedelta(minutes=50)
    await notices_cog(simcord_bot).tick()
    waiting: Any = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    assert waiting.status == NoticeStatus.CLAIMED and waiting.next_attempt_at > clock.at
    assert reminders(world) == []
    clock.at = waiting.next_attempt_at
    await notices_cog(simcord_bot).tick()
    assert len(reminders(world)) == 1


async def test_a_member_who_accepts_no_dms_misses_only_the_dm(world, simcord_env, simcord_bot, clock):
    simcord_env.inject_error("POST", "/users/@me/channels", status=403, message="Cannot send messages to this user")
    clock.at = RACE - timedelta(minutes=50)
    await notices_cog(simcord_bot).tick()
    assert len(reminders(world)) == 1  # the channel reminder went
    dm = await EventNotice.objects.aget(kind=NoticeKind.REMINDER_DM)
    assert dm.status == NoticeStatus.FAILED
    assert dm.last_error == "the bot is not allowed to open a DM with the member (Discord 403)"
    assert dms(world, "alice") == []
    await notices_cog(simcord_bot).tick()
    assert (await EventNotice.objects.aget(kind=NoticeKind.REMINDER_DM)).status == NoticeStatus.FAILED  # no retry


async def test_a_reminder_waiting_when_the_event_is_cancelled_is_never_sent(world, simcord_env, simcord_bot, clock):
    simcord_env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=429, message="rate limited")
    clock.at = RACE - timedelta(minutes=50)
    await notices_cog(simcord_bot).tick()
    waiting = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    await Event.objects.filter(id=world.event.id).aupdate(status=EventStatus.CANCELLED)
    assert waiting.next_attempt_at is not None
    clock.at = waiting.next_attempt_at
    await notices_cog(simcord_bot).tick()
    assert reminders(world) == []
    cancelled = await EventNotice.objects.aget(kind=NoticeKind.REMINDER)
    assert (cancelled.status, cancelled.last_error) == (NoticeStatus.FAILED, "the event was cancelled")
