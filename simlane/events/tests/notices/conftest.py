"""A club in simcord with an event and its members, for the notices' end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import simcord
from asgiref.sync import sync_to_async

from simlane.clubs.models import Club, ClubMember
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.event_notices._cog import EventNoticesCog
from simlane.events.models import (
    Event,
    EventClass,
    EventDiscordChannel,
    EventStatus,
    Signup,
    SignupSheet,
    SignupStatus,
)

T0 = datetime(2026, 3, 5, 19, 0, tzinfo=UTC)
RACE = T0 + timedelta(hours=48)


class Clock:
    """The bot's clock, which a test sets instead of sleeping."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def simcord_bot(clock: Clock, transactional_db: None) -> AsyncIterator[SimLaneBot]:
    yield SimLaneBot(now=clock)
    await close_async_connections()  # the async ORM's thread holds its own connection


def notices_cog(bot: SimLaneBot) -> EventNoticesCog:
    cog = bot.get_cog("EventNoticesCog")
    assert isinstance(cog, EventNoticesCog)
    return cog


@dataclass
class ClubWorld:
    env: simcord.Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    club: Club
    event: Event
    users: dict[str, simcord.MemberActor] = field(default_factory=dict)
    members: dict[str, ClubMember] = field(default_factory=dict)
    people: dict[str, simcord.UserHandle] = field(default_factory=dict)  # the same users, for their DMs


# name -> (signup status or None, DMs on, nudges on)
ROSTER: dict[str, tuple[str | None, bool, bool]] = {
    "alice": (SignupStatus.CONFIRMED, True, True),
    "bob": (SignupStatus.CONFIRMED, False, True),
    "carl": (SignupStatus.WAITLISTED, True, True),
    "frank": (SignupStatus.WITHDRAWN, True, True),
    "dana": (None, True, True),
    "erin": (None, False, False),
}


@sync_to_async
def _event_rows(
    guild_id: int, channel_id: int, ids: dict[str, int], title: str
) -> tuple[Club, Event, dict[str, ClubMember]]:
    club, _ = Club.objects.get_or_create(guild_id=guild_id, defaults={"name": "Demo League"})
    event = Event.objects.create(
        club=club, title=title, race_at=RACE, duration_minutes=60, status=EventStatus.OPEN, created_by=1
    )
    gt3 = EventClass.objects.create(event=event, name="GT3", capacity=2)
    SignupSheet.objects.create(event=event, opens_at=T0 - timedelta(days=3), closes_at=RACE - timedelta(hours=18))
    EventDiscordChannel.objects.create(event=event, text_channel_id=channel_id, status="ready")
    members = {}
    for name, (status, dms, nudges) in ROSTER.items():
        member, _ = ClubMember.objects.update_or_create(
            club=club,
            discord_user_id=ids[name],
            defaults={"display_name": name, "username": name, "event_dms": dms, "event_nudges": nudges},
        )
        members[name] = member
        if status is not None:
            Signup.objects.create(event=event, member=member, event_class=gt3, status=status, created_at=T0)
    return club, event, members


async def club_world(env: simcord.Env, *, title: str = "Sunday Cup") -> ClubWorld:
    guild = env.create_guild(name="Demo League")
    await env.settle()
    channel = guild.create_text_channel("sunday-cup")
    people = {name: env.create_user(name) for name in ROSTER}
    users = {name: guild.add_member(person) for name, person in people.items()}
    await env.settle()
    club, event, members = await _event_rows(guild.id, channel.id, {n: u.id for n, u in users.items()}, title)
    return ClubWorld(env, guild, channel, club, event, users, members, people)


@pytest.fixture
async def world(simcord_env: simcord.Env) -> ClubWorld:
    return await club_world(simcord_env)
