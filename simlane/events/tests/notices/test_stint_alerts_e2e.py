"""Stint alerts: the driver of each stint is told in their team's thread, at the club's offsets, exactly once."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest
import simcord
from asgiref.sync import sync_to_async

from simlane.clubs.models import ClubDiscordSettings
from simlane.discord_bot.bot import SimLaneBot
from simlane.events.models import Event, EventStatus, Signup, SignupStatus, Stint, Team, TeamDiscord, TeamMember

from .conftest import RACE, Clock, ClubWorld, notices_cog

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def plan_stints(world: ClubWorld) -> Team:
    event = world.event
    Event.objects.filter(id=event.id).update(kind="team", team_min_drivers=1, team_max_drivers=2)
    Event.objects.filter(id=event.id).update(status=EventStatus.TEAMS_FINAL)
    signups = Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED).order_by("member__discord_user_id")
    team = Team.objects.create(event=event, name="Blue", event_class=signups[0].event_class)
    for i, s in enumerate(signups):
        TeamMember.objects.create(team=team, signup=s, position=i)
    Stint.objects.create(team=team, order=1, driver=world.members["alice"], starts_at=RACE)
    Stint.objects.create(team=team, order=2, driver=world.members["bob"], starts_at=RACE + timedelta(minutes=50))
    return team


async def team_thread(world: ClubWorld, bot: SimLaneBot) -> simcord.ChannelHandle:
    """A private thread in the event channel, made by the bot as the event's Discord side makes a team's."""
    channel = bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    made = await channel.create_thread(name="blue", type=discord.ChannelType.private_thread, invitable=False)
    await world.env.settle()
    return next(t for t in world.channel.threads if t.id == made.id)


async def test_each_stints_driver_is_alerted_in_the_team_thread_once(world, simcord_bot, clock: Clock):
    team = await plan_stints(world)
    thread = await team_thread(world, simcord_bot)
    cog = notices_cog(simcord_bot)
    await TeamDiscord.objects.acreate(team=team, thread_id=thread.id)

    def alerts() -> list[tuple[int, ...]]:
        return [tuple(u.id for u in m.mentions) for m in thread.history() if m.content.startswith("🔔")]

    clock.at = RACE - timedelta(minutes=16)
    await cog.tick()
    assert alerts() == []
    clock.at = RACE - timedelta(minutes=15)
    await cog.tick()
    await cog.tick()
    assert alerts() == [(world.users["alice"].id,)]
    clock.at = RACE + timedelta(minutes=36)
    await cog.tick()
    assert alerts() == [(world.users["alice"].id,), (world.users["bob"].id,)]
    assert all("you are up in 15 minutes" in m.content for m in thread.history())
    assert [m for m in world.channel.history() if m.content.startswith("🔔")] == []  # never in the event channel


async def test_the_clubs_own_offsets_are_used(world, simcord_bot, clock: Clock):
    team = await plan_stints(world)
    await ClubDiscordSettings.objects.acreate(club=world.club, stint_alert_offsets=[30, 5])
    thread = world.guild.create_text_channel("blue-team")
    cog = notices_cog(simcord_bot)
    await TeamDiscord.objects.acreate(team=team, thread_id=thread.id)
    for minutes in (31, 30, 20, 5, 1):
        clock.at = RACE - timedelta(minutes=minutes)
        await cog.tick()
    texts = [m.content for m in thread.history() if m.content.startswith("🔔")]
    assert len(texts) == 2
    assert any("you are up in 30 minutes" in t for t in texts) and any("you are up in 5 minutes" in t for t in texts)
