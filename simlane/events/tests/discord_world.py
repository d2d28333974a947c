"""A club's server in simcord with the real bot on a stopped clock, and events made straight in the database: the
harness of the event reconciler's tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import simcord
from asgiref.sync import sync_to_async
from simcord.backend import permissions as simcord_permissions

from simlane.clubs.models import Club, ClubDiscordSettings, ClubMember
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.event_discord._cog import EventDiscordCog
from simlane.discord_bot.models import GuildSettings
from simlane.events.models import (
    Event,
    EventClass,
    EventDiscordChannel,
    Signup,
    SignupSheet,
    Team,
    TeamDiscord,
    TeamMember,
)

RACE = datetime(2026, 3, 7, 19, 0, tzinfo=UTC)


class StoppedClock:
    """The bot's clock: stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at


@dataclass
class World:
    env: simcord.Env
    bot: SimLaneBot
    clock: StoppedClock
    guild: simcord.GuildHandle
    admins: simcord.RoleHandle
    admin: simcord.MemberActor
    drivers: list[simcord.MemberActor]
    outsider: simcord.MemberActor
    club: Club
    events: list[int] = field(default_factory=list)

    @property
    def cog(self) -> EventDiscordCog:
        cog = self.bot.get_cog("EventDiscordCog")
        assert isinstance(cog, EventDiscordCog)
        return cog

    async def sync(self, event_id: int) -> Any:
        outcome = await self.cog.sync(event_id)
        await self.env.settle()
        return outcome

    async def sync_all(self, event_id: int) -> Any:
        """Sync until the pace lets every due object exist (a few passes at most)."""
        for _ in range(5):
            outcome = await self.sync(event_id)
            if outcome is None or outcome.status != "pending" or outcome.busy:
                return outcome
        raise AssertionError("still pending after 5 passes")

    async def at(self, when: datetime) -> None:
        """Move the clock and let the bot's tick run what fell due."""
        self.clock.set(when)
        await self.cog.tick()
        await self.env.settle()

    def channels(self, type_: int | None = None) -> list[Any]:
        guild = self.env.backend.get_guild(self.guild.id)
        return [
            c
            for c in self.env.backend.channels.values()
            if c.guild_id == guild.id and (type_ is None or c.type == type_)
        ]

    def named(self, name: str) -> list[Any]:
        return [c for c in self.channels() if c.name == name]

    def channel(self, channel_id: int | None) -> Any:
        """simcord's record of a channel or thread (the test fails if SimLane recorded none)."""
        assert channel_id is not None
        return self.env.backend.get_channel(channel_id)

    def can(self, user_id: int, channel_id: int | None, what: str) -> bool:
        """Whether simcord's own permission engine lets this user do ``what`` (view_channel, connect) there."""
        guild = self.env.backend.get_guild(self.guild.id)
        channel = self.channel(channel_id)
        value = simcord_permissions.compute(guild, user_id, channel, now=self.env.now())
        return bool(value & simcord_permissions.flag(what))

    def bot_role_set(self, **changes: bool) -> None:
        """Change the bot's own role (as a server admin would in Server Settings → Roles)."""
        guild = self.env.backend.get_guild(self.guild.id)
        bot_member = guild.members[self.bot.user.id]  # type: ignore[union-attr]
        role_id = next(r for r in bot_member.role_ids if r != guild.id)
        perms = discord.Permissions(guild.roles[role_id].permissions)
        perms.update(**changes)
        self.env.backend.edit_role(self.guild.id, role_id, {"permissions": perms.value})

    def requests(self, method: str, path_part: str) -> list[Any]:
        return [r for r in self.env.http_requests if r.method == method and path_part in r.path]


async def make_world(env: simcord.Env, bot: SimLaneBot, clock: StoppedClock) -> World:
    owner = env.create_user("owner")
    guild = env.create_guild("Sunday Cup", owner=owner)
    admins = guild.create_role("League admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("steward"), roles=[admins])
    drivers = [guild.add_member(env.create_user(name)) for name in ("ana", "ben", "cleo", "dev")]
    outsider = guild.add_member(env.create_user("lurker"))
    await env.settle()
    club = await sync_to_async(_club)(guild.id, admins.id, [admin.id, *[d.id for d in drivers], outsider.id])
    return World(env, bot, clock, guild, admins, admin, drivers, outsider, club)


def _club(guild_id: int, admin_role_id: int, user_ids: list[int]) -> Club:
    club, _ = Club.objects.get_or_create(guild_id=guild_id, defaults={"name": "Sunday Cup"})
    GuildSettings.objects.update_or_create(guild_id=guild_id, defaults={"admin_role_id": admin_role_id})
    ClubDiscordSettings.objects.get_or_create(club=club)
    for user_id in user_ids:
        ClubMember.objects.get_or_create(club=club, discord_user_id=user_id, defaults={"username": str(user_id)})
    return club


def settings_set(club: Club, **fields: Any) -> None:
    ClubDiscordSettings.objects.filter(club=club).update(**fields)


def event_make(club: Club, *, title: str, team: bool, driver_ids: list[int], status: str = "open") -> int:
    """An open event with its drivers signed up; for a team event two teams of two, finalised when asked."""
    event = Event.objects.create(
        club=club,
        title=title,
        kind="team" if team else "solo",
        track_name="Spa-Francorchamps",
        race_at=RACE,
        duration_minutes=120,
        team_min_drivers=1 if team else None,
        team_max_drivers=3 if team else None,
        status=status,
        created_by=1,
    )
    SignupSheet.objects.create(event=event, opens_at=RACE - timedelta(days=30), closes_at=RACE - timedelta(hours=1))
    klass = EventClass.objects.create(event=event, name="GT3", capacity=20)
    signups = [
        Signup.objects.create(
            event=event, member=ClubMember.objects.get(club=club, discord_user_id=u), event_class=klass
        )
        for u in driver_ids
    ]
    if team:
        for number, name in enumerate(("Team Alpha", "Team Bravo")):
            row = Team.objects.create(event=event, name=name, event_class=klass)
            for position, signup in enumerate(signups[number * 2 : number * 2 + 2]):
                TeamMember.objects.create(team=row, signup=signup, position=position)
    return event.id


def discord_row(event_id: int) -> EventDiscordChannel:
    return EventDiscordChannel.objects.get(event_id=event_id)


def team_rows(event_id: int) -> list[TeamDiscord]:
    return list(TeamDiscord.objects.filter(team__event_id=event_id).order_by("team_id"))


def event_status(event_id: int) -> str:
    return Event.objects.get(id=event_id).status


def event_cancel(event_id: int) -> None:
    Event.objects.filter(id=event_id).update(status="cancelled")


def teams_finalise(event_id: int) -> None:
    Event.objects.filter(id=event_id).update(status="teams_final")


HOURS = timedelta(hours=1)
