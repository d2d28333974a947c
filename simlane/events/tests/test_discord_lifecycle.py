"""The whole Discord side of a solo and a team event in simcord, on a stopped clock: what exists when, who can see
and join what, and that running again changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from .discord_world import (
    HOURS,
    RACE,
    World,
    discord_row,
    event_cancel,
    event_make,
    event_status,
    settings_set,
    team_rows,
    teams_finalise,
)

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY, TEXT, VOICE, PRIVATE_THREAD = 4, 0, 2, 12


async def test_a_solo_event_gets_its_category_channel_and_discord_event_then_is_tidied_away(world: World):
    event_id = await sync_to_async(event_make)(
        world.club, title="Sunday Cup: Round 3!", team=False, driver_ids=[d.id for d in world.drivers]
    )
    outcome = await world.sync(event_id)
    assert outcome.status == "ready"

    (category,) = world.channels(CATEGORY)
    assert category.name == "Club events"
    (channel,) = world.channels(TEXT)
    assert channel.name == "club-events-spa-francorchamps-2026-03-07"  # the club's default pattern, normalised
    assert channel.parent_id == category.id and "SimLane event #" in (channel.topic or "")
    row = await sync_to_async(discord_row)(event_id)
    assert (row.status, row.category_id, row.text_channel_id) == ("ready", category.id, channel.id)
    (scheduled,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    assert scheduled.name == "Sunday Cup: Round 3!" and scheduled.id == row.scheduled_event_id
    card = f"https://discord.com/channels/{world.guild.id}/{channel.id}/{row.signup_message_id}"
    assert row.signup_message_id is not None and (scheduled.entity_metadata or {})["location"] == card
    assert scheduled.status == 1  # scheduled

    before = len(world.env.http_requests)
    await world.sync(event_id)  # running again asks Discord for nothing new
    assert [r.method for r in world.env.http_requests[before:]].count("POST") == 0
    assert len(world.channels()) == 2

    await world.at(RACE)
    assert scheduled.status == 2  # SimLane started it itself
    await world.at(RACE + 2 * HOURS)
    assert scheduled.status == 3
    await world.at(RACE + 2 * HOURS + 23 * HOURS)
    assert channel.parent_id == category.id  # the club's 24 h delay has not passed
    await world.at(RACE + 2 * HOURS + 24 * HOURS)
    archive = next(c for c in world.channels(CATEGORY) if c.name == "Event archive")
    assert world.channel(channel.id).parent_id == archive.id
    row = await sync_to_async(discord_row)(event_id)
    assert row.status == "archived" and await sync_to_async(event_status)(event_id) == "archived"
    before = len(world.env.http_requests)
    await world.at(RACE + 100 * HOURS)
    assert len(world.env.http_requests) == before  # nothing left to do


async def test_a_team_event_gets_private_threads_roles_and_voice_only_the_team_and_admins_join(world: World):
    ana, ben, cleo, dev = world.drivers
    drivers = [ana.id, ben.id, cleo.id, dev.id]
    event_id = await sync_to_async(event_make)(world.club, title="Spa 24h", team=True, driver_ids=drivers)
    await world.sync(event_id)
    assert world.channels(PRIVATE_THREAD) == [] and world.channels(VOICE) == []  # teams not final yet

    await sync_to_async(teams_finalise)(event_id)
    await world.sync(event_id)
    alpha, bravo = await sync_to_async(team_rows)(event_id)
    threads = {t.id: t for t in world.channels(PRIVATE_THREAD)}
    assert set(threads) == {alpha.thread_id, bravo.thread_id}
    assert threads[alpha.thread_id].name == "Team Alpha"
    assert set(threads[alpha.thread_id].thread_members) >= {ana.id, ben.id}
    assert not {cleo.id, dev.id} & set(threads[alpha.thread_id].thread_members)
    # simcord drops invitable: what SimLane sent is what counts
    bodies = [r.json for r in world.requests("POST", "/threads")]
    assert len(bodies) == 2 and all(b["invitable"] is False and b["type"] == PRIVATE_THREAD for b in bodies)

    guild = world.env.backend.get_guild(world.guild.id)
    assert alpha.role_id is not None and guild.roles[alpha.role_id].name == "Team Alpha · Spa 24h"
    assert alpha.role_id in guild.members[ana.id].role_ids and alpha.role_id not in guild.members[cleo.id].role_ids

    practice = world.channel(alpha.practice_voice_id)
    assert practice.name == "Team Alpha practice"
    assert alpha.race_voice_id is None and world.named("Team Alpha race") == []  # race voice opens at T-24 h

    await world.at(RACE - 24 * HOURS - timedelta(minutes=1))
    assert world.named("Team Alpha race") == []
    await world.at(RACE - 24 * HOURS)
    alpha, bravo = await sync_to_async(team_rows)(event_id)
    race = world.channel(alpha.race_voice_id)
    assert race.name == "Team Alpha race"
    for user, allowed in [(ana, True), (ben, True), (world.admin, True), (cleo, False), (world.outsider, False)]:
        assert world.can(user.id, race.id, "connect") is allowed, user.name
        assert world.can(user.id, race.id, "view_channel") is allowed, user.name
    assert world.can(cleo.id, alpha.race_voice_id, "connect") is False
    assert world.can(cleo.id, bravo.race_voice_id, "connect") is True

    before = len(world.env.http_requests)
    await world.sync(event_id)
    assert [r.method for r in world.env.http_requests[before:]].count("POST") == 0  # idempotent

    await world.at(RACE)
    await world.at(RACE + 2 * HOURS)
    await world.at(RACE + 26 * HOURS)
    for team in (alpha, bravo):
        thread = world.channel(team.thread_id)
        assert thread.thread_metadata.archived and thread.thread_metadata.locked
        assert team.role_id not in guild.roles
        for voice in (team.practice_voice_id, team.race_voice_id):
            assert voice not in world.env.backend.channels
    assert world.channels(VOICE) == []
    rows = await sync_to_async(team_rows)(event_id)
    assert [(r.role_id, r.practice_voice_id, r.race_voice_id) for r in rows] == [(None, None, None)] * 2


async def test_a_club_that_deletes_finished_channels_and_has_no_team_roles(world: World):
    await sync_to_async(settings_set)(world.club, archive_mode="delete", team_roles=False, race_voice_hours=2,
                                      archive_delay_hours=1)  # fmt: skip
    ana, ben, cleo, dev = world.drivers
    drivers = [ana.id, ben.id, cleo.id, dev.id]
    event_id = await sync_to_async(event_make)(
        world.club, title="Night race", team=True, driver_ids=drivers, status="teams_final"
    )
    await world.at(RACE - 3 * HOURS)
    await world.sync(event_id)
    alpha, _ = await sync_to_async(team_rows)(event_id)
    assert alpha.role_id is None and alpha.race_voice_id is None
    await world.at(RACE - 2 * HOURS)
    alpha, _ = await sync_to_async(team_rows)(event_id)
    assert world.can(ana.id, alpha.race_voice_id, "connect") and not world.can(cleo.id, alpha.race_voice_id, "connect")
    row = await sync_to_async(discord_row)(event_id)
    await world.at(RACE + 3 * HOURS)
    assert row.text_channel_id not in world.env.backend.channels
    assert world.channels(TEXT) == [] and world.named("Event archive") == []


async def test_the_card_is_posted_in_the_new_channel_before_the_discord_event_that_links_to_it(world: World):
    from simlane.discord_bot.exts.event_discord._reconcile import reconcile
    from simlane.events.services.discord import card_recorded

    event_id = await sync_to_async(event_make)(world.club, title="Cup", team=False, driver_ids=[])
    posted: list[int] = []

    async def card() -> None:  # the events extension's poster, as the reconciler calls it
        row = await sync_to_async(discord_row)(event_id)
        assert row.text_channel_id is not None  # the channel was recorded before the card step
        channel = world.bot.get_channel(row.text_channel_id)
        assert channel is not None and hasattr(channel, "send")
        message = await channel.send("signup card")
        await sync_to_async(card_recorded)(
            event_id=event_id, channel_id=channel.id, message_id=message.id, detail="card posted"
        )
        posted.append(message.id)

    await reconcile(world.bot, event_id, now=world.clock(), card=card)
    await world.env.settle()
    row = await sync_to_async(discord_row)(event_id)
    (scheduled,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    link = f"https://discord.com/channels/{world.guild.id}/{row.text_channel_id}/{posted[0]}"
    assert (scheduled.entity_metadata or {})["location"] == link and link in (scheduled.description or "")


async def test_a_cancelled_event_cancels_its_discord_event_and_is_tidied_away_at_once(world: World):
    ana, ben, cleo, dev = world.drivers
    drivers = [ana.id, ben.id, cleo.id, dev.id]
    event_id = await sync_to_async(event_make)(
        world.club, title="Spa 24h", team=True, driver_ids=drivers, status="teams_final"
    )
    await world.sync_all(event_id)
    assert len(world.channels(VOICE)) == 2
    await sync_to_async(event_cancel)(event_id)
    await world.sync(event_id)
    (scheduled,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    assert scheduled.status == 4  # cancelled
    assert world.channels(VOICE) == []
    assert all(t.thread_metadata and t.thread_metadata.locked for t in world.channels(PRIVATE_THREAD))
    row = await sync_to_async(discord_row)(event_id)
    assert row.status == "archived" and world.channel(row.text_channel_id).parent_id != row.category_id
    assert await sync_to_async(event_status)(event_id) == "cancelled"
