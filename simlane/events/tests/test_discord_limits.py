"""Discord's limits, kept by SimLane because simcord keeps none of them: 50 channels per category (a second
category then), 500 channels and 250 roles per server (a readable block, nothing asked of Discord), and creation
paced over passes of the tick."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from simlane.events import discord_plan as plan

from .discord_world import RACE, World, discord_row, event_make

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY, TEXT = 4, 0


async def solo(world: World, title: str) -> int:
    return await sync_to_async(event_make)(world.club, title=title, team=False, driver_ids=[])


async def test_a_full_category_overflows_to_a_second_one(world: World):
    first = await solo(world, "Round 1")
    await world.sync(first)
    (category,) = world.channels(CATEGORY)
    for n in range(49):  # the admins' own channels fill it to Discord's 50
        world.env.backend.create_channel(world.guild.id, name=f"chat-{n}", type=TEXT, parent_id=category.id)
    await world.env.settle()
    assert len([c for c in world.channels() if c.parent_id == category.id]) == 50

    second = await solo(world, "Round 2")
    await world.sync(second)
    row = await sync_to_async(discord_row)(second)
    overflow = world.channel(row.category_id)
    assert overflow.name == "Club events 2" and overflow.id != category.id
    assert world.channel(row.text_channel_id).parent_id == overflow.id

    third = await solo(world, "Round 3")
    await world.sync(third)  # the second category has room: reused by its id, no third one
    assert (await sync_to_async(discord_row)(third)).category_id == overflow.id
    assert sorted(c.name for c in world.channels(CATEGORY)) == ["Club events", "Club events 2"]


async def test_at_500_channels_the_event_is_blocked_before_asking_discord(world: World):
    for n in range(500 - len(world.channels())):
        world.env.backend.create_channel(world.guild.id, name=f"c-{n}", type=TEXT)
    await world.env.settle()
    event_id = await solo(world, "Round 1")
    before = len(world.requests("POST", "/channels"))
    outcome = await world.sync(event_id)
    assert outcome.status == "blocked"
    row = await sync_to_async(discord_row)(event_id)
    assert row.status_detail.startswith("The server has 500 of Discord's 500 channels, so SimLane cannot add 1 more.")
    assert len(world.requests("POST", "/channels")) == before


async def test_with_no_room_for_roles_team_roles_are_blocked_with_what_to_do(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    # simcord makes each role in quadratic time, so the server's cap is lowered to the roles it has (the 250
    # itself is checked in test_discord_plan)
    monkeypatch.setattr(plan, "ROLES_PER_SERVER", len(world.env.backend.get_guild(world.guild.id).roles))
    ids = [d.id for d in world.drivers]
    event_id = await sync_to_async(event_make)(
        world.club, title="Spa 24h", team=True, driver_ids=ids, status="teams_final"
    )
    await world.sync_all(event_id)
    row = await sync_to_async(discord_row)(event_id)
    assert (
        row.status == "blocked" and "roles, so SimLane cannot add a team role. Delete unused roles" in row.status_detail
    )
    assert "turn team roles off" in row.status_detail and world.requests("POST", "/roles") == []


async def test_creation_is_paced_and_the_tick_makes_the_rest(world: World):
    ids = [d.id for d in world.drivers]
    event_id = await sync_to_async(event_make)(
        world.club, title="Spa 24h", team=True, driver_ids=ids, status="teams_final"
    )
    start = world.clock()
    outcome = await world.sync(event_id)
    assert outcome.status == "pending" and outcome.created == 5
    assert "paces itself" in (await sync_to_async(discord_row)(event_id)).status_detail
    made = len(world.env.http_requests)
    await world.at(start + timedelta(seconds=10))
    assert len(world.env.http_requests) == made  # not before the pace allows
    await world.at(start + timedelta(seconds=30))
    assert len(world.env.http_requests) > made
    assert (await sync_to_async(discord_row)(event_id)).status == "ready"
    assert world.clock() < RACE
