"""Faults on the way: a missing permission (one per permission SimLane needs), a channel deleted by a human, a
crash between creating each object and recording it, Discord's 5xx and 429. Nothing is made twice, nothing is
lost, and the dashboard's status says what happened and what to fix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from simlane.clubs.intents import services as intents
from simlane.clubs.models import DiscordIntent, IntentKind
from simlane.discord_bot.exts.intents._cog import IntentsCog
from simlane.events.actors import actor_for_web
from simlane.events.discord_objects import aio
from simlane.events.discord_objects.services import event_discord_retry

from .discord_world import HOURS, RACE, World, discord_row, event_make, team_rows

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY, TEXT, VOICE, PRIVATE_THREAD = 4, 0, 2, 12


async def team_event(world: World, *, status: str = "teams_final") -> int:
    ids = [d.id for d in world.drivers]
    return await sync_to_async(event_make)(world.club, title="Spa 24h", team=True, driver_ids=ids, status=status)


@pytest.mark.parametrize(
    ("permission", "name", "path"),
    [
        ("manage_channels", "Manage Channels", "/channels"),
        ("manage_roles", "Manage Roles", "/roles"),
        ("create_events", "Create Events", "/scheduled-events"),
        ("manage_threads", "Manage Threads", "/threads"),
    ],
    ids=["manage-channels", "manage-roles", "create-events", "manage-threads"],
)
async def test_a_missing_permission_blocks_with_what_to_fix_and_no_retry_storm(world: World, permission, name, path):
    world.bot_role_set(**{permission: False})
    await world.env.settle()
    event_id = await team_event(world)
    await world.sync(event_id)
    row = await sync_to_async(discord_row)(event_id)
    assert row.status == "blocked"
    assert f"needs {name} on this server" in row.status_detail and "Server Settings → Roles" in row.status_detail
    assert world.requests("POST", path) == []  # refused by SimLane before asking (simcord would allow Create Events)

    before = len(world.env.http_requests)
    for hour in range(1, 6):  # the tick leaves a blocked event alone: no request per tick
        await world.at(RACE.replace(day=1) + hour * HOURS)
    assert len(world.env.http_requests) == before

    world.bot_role_set(**{permission: True})
    await world.env.settle()  # SimLane sees its own role change and tries the blocked event again by itself
    assert (await sync_to_async(discord_row)(event_id)).status != "blocked"
    await world.sync_all(event_id)  # the rest, past the pace
    row = await sync_to_async(discord_row)(event_id)
    assert row.status == "ready", row.status_detail
    assert len(world.channels(TEXT)) == 1 and len(world.channels(PRIVATE_THREAD)) == 2


async def test_a_403_from_discord_itself_blocks_with_a_readable_status(world: World):
    world.env.inject_error("POST", "/guilds/*/channels", status=403, code=50013, message="Missing Permissions")
    event_id = await team_event(world, status="open")
    outcome = await world.sync(event_id)
    assert outcome.status == "blocked"
    row = await sync_to_async(discord_row)(event_id)
    assert row.status_detail.startswith("Discord refused (403) when SimLane tried to create the event's category.")
    assert "Manage Channels" in row.status_detail
    admin = await sync_to_async(actor_for_web)(club=world.club, discord_user_id=world.admin.id, role="admin")
    await sync_to_async(event_discord_retry)(actor=admin, event_id=event_id, now=world.clock())  # "Retry…"
    intent = await sync_to_async(DiscordIntent.objects.get)(kind=IntentKind.EVENT_SYNC, payload__event_id=event_id)
    assert intent.status == "queued"
    drain = world.bot.get_cog("IntentsCog")
    assert isinstance(drain, IntentsCog) and await drain.drain() == 1
    await world.env.settle()
    assert (await sync_to_async(discord_row)(event_id)).status == "ready" and len(world.channels(CATEGORY)) == 1


async def test_a_channel_deleted_by_a_human_is_noticed_and_made_again(world: World):
    event_id = await team_event(world)
    await world.sync_all(event_id)
    first = await sync_to_async(discord_row)(event_id)
    world.env.backend.delete_channel(world.channel(first.text_channel_id).id)  # a moderator deleted #spa-24h…
    alpha, _ = await sync_to_async(team_rows)(event_id)
    world.env.backend.delete_channel(world.channel(alpha.practice_voice_id).id)
    await world.env.settle()

    await world.sync_all(event_id)
    again = await sync_to_async(discord_row)(event_id)
    assert again.text_channel_id not in (None, first.text_channel_id)
    assert "The event channel was deleted on Discord; SimLane made it again" in again.status_detail
    (channel,) = world.channels(TEXT)
    assert channel.id == again.text_channel_id and channel.parent_id == first.category_id
    threads = [t for t in world.channels(PRIVATE_THREAD) if t.parent_id == channel.id]
    assert sorted(t.name for t in threads) == ["Team Alpha", "Team Bravo"]  # the threads went with the channel
    alpha, _ = await sync_to_async(team_rows)(event_id)
    assert (
        len(world.named("Team Alpha practice")) == 1
        and alpha.practice_voice_id == world.named("Team Alpha practice")[0].id
    )


class Crash(Exception):
    """The bot process died right here."""


RECORDS = [
    ("category_record", None),
    ("event_object_record", "category_id"),
    ("event_object_record", "text_channel_id"),
    ("event_object_record", "scheduled_event_id"),
    ("team_object_record", "thread_id"),
    ("team_member_record", "thread"),
    ("team_object_record", "role_id"),
    ("team_member_record", "role"),
    ("team_object_record", "practice_voice_id"),
    ("team_object_record", "race_voice_id"),
    ("progress_record", "started_at"),
    ("progress_record", "ended_at"),
    ("progress_record", "archived_at"),
]


@pytest.mark.parametrize(("function", "field"), RECORDS, ids=[f"{f}-{x}" for f, x in RECORDS])
async def test_a_crash_between_creating_and_recording_makes_nothing_twice(
    world: World, monkeypatch: pytest.MonkeyPatch, function: str, field: str | None
):
    real = getattr(aio, function)
    crashed: list[dict[str, Any]] = []

    async def dies_once(**kwargs: Any) -> None:
        if not crashed and (field is None or kwargs.get("field") == field):
            crashed.append(kwargs)
            raise Crash
        await real(**kwargs)

    monkeypatch.setattr(aio, function, dies_once)
    event_id = await team_event(world)

    async def step(at: Any) -> None:
        world.clock.set(at)
        for _ in range(3):  # the crash, then the restart
            try:
                await world.sync_all(event_id)
                return
            except Crash:
                await world.env.settle()

    for at in (RACE - 48 * HOURS, RACE - 24 * HOURS, RACE, RACE + 2 * HOURS, RACE + 30 * HOURS):
        await step(at)
    assert crashed, "the crash was never reached"

    names = sorted(c.name for c in world.channels(CATEGORY))
    assert names == ["Club events", "Event archive"]
    assert len(world.channels(TEXT)) == 1
    threads = world.channels(PRIVATE_THREAD)
    assert sorted(t.name for t in threads) == ["Team Alpha", "Team Bravo"]
    assert all(t.thread_metadata.archived and t.thread_metadata.locked for t in threads)
    assert world.channels(VOICE) == []
    guild = world.env.backend.get_guild(world.guild.id)
    assert not [r for r in guild.roles.values() if "·" in r.name]  # every team role made was deleted
    created = world.requests("POST", "/roles")
    assert len(created) == 2  # one per team, never a second
    assert len(world.requests("POST", "/scheduled-events")) == 1
    channels_made = [r for r in world.requests("POST", "/guilds/") if r.path.endswith("/channels")]
    assert len(channels_made) == 2 + 1 + 4  # categories (series, archive), event channel, voice
    assert len(world.requests("POST", "/messages")) == 1  # one signup card
    (scheduled,) = guild.scheduled_events.values()
    assert scheduled.status == 3
    row = await sync_to_async(discord_row)(event_id)
    assert row.status == "archived"


async def test_a_server_error_during_creation_is_retried_bounded_and_makes_nothing_twice(world: World):
    world.env.inject_error("POST", "/guilds/*/channels", status=500, times=None)
    event_id = await team_event(world, status="open")
    outcome = await world.sync(event_id)
    assert outcome.status == "pending" and outcome.busy
    row = await sync_to_async(discord_row)(event_id)
    assert row.status_detail.startswith("Discord said not now (500) while SimLane tried to create the event's category")
    tries = len(world.requests("POST", "/guilds/"))
    assert 1 <= tries <= 6  # discord.py's own bounded retries, then SimLane stops for now

    world.env.backend.faults.clear()
    await world.at(RACE.replace(day=1) + timedelta(minutes=1))
    assert len(world.channels(CATEGORY)) == 0  # not before the wait
    await world.at(RACE.replace(day=1) + timedelta(minutes=3))
    assert (await sync_to_async(discord_row)(event_id)).status == "ready"
    assert len(world.channels(CATEGORY)) == 1 and len(world.channels(TEXT)) == 1


def _enqueue(world: World, event_id: int) -> int:
    intent, _ = intents.intent_enqueue(
        club=world.club, kind=IntentKind.EVENT_SYNC, payload={"event_id": event_id}, now=world.clock()
    )
    return intent.id


def _intent(intent_id: int) -> DiscordIntent:
    return DiscordIntent.objects.get(id=intent_id)


async def test_a_429_defers_the_intent_by_the_queues_bounded_backoff(world: World):
    world.env.inject_error("POST", "/guilds/*/channels", status=429, times=2, message="You are being rate limited.")
    event_id = await team_event(world)
    intent_id = await sync_to_async(_enqueue)(world, event_id)
    drain = world.bot.get_cog("IntentsCog")
    assert isinstance(drain, IntentsCog)
    assert await drain.drain() == 1
    intent = await sync_to_async(_intent)(intent_id)
    assert intent.status == "queued" and "429" in intent.reason
    assert intent.not_before is not None and intent.not_before > world.clock()
    assert await drain.drain() == 0  # not before its back-off
    world.clock.set(intent.not_before)
    assert await drain.drain() == 1  # the second 429
    world.clock.set(world.clock() + timedelta(minutes=5))
    assert await drain.drain() == 1
    await world.env.settle()
    intent = await sync_to_async(_intent)(intent_id)
    assert intent.status == "done" and intent.attempts == 3
    made = [r for r in world.requests("POST", "/guilds/") if r.path.endswith("/channels")]
    categories = [r for r in made if r.json["type"] == CATEGORY]
    assert len(categories) == 2 + 1  # two refused, then the one category
    assert len(world.channels(CATEGORY)) == 1
