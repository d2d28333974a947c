"""The real bot in simcord, with the iRacing simulator behind it (600 members, seed 3, clock stopped)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import discord
import pytest
import simcord
from django.core.cache import cache

from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config

T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC).timestamp()


@dataclass
class World:
    sim: Simulator
    bot: SimLaneBot


@pytest.fixture
async def world(transactional_db: None) -> AsyncIterator[World]:
    clock = SimClock(start=T0, speed=0)
    sim = Simulator(SimulatorConfig(members=600, seed=3), clock=clock)
    await sim.start()
    cache.clear()  # lookups are cached between runs; each test starts cold
    client = IRacingClient(demo_client_config(sim.base_url), clock=clock)
    try:
        async with client:
            yield World(sim, SimLaneBot(iracing=client))
    finally:
        await sim.stop()
        await close_async_connections()


@pytest.fixture
def simcord_bot(world: World) -> SimLaneBot:
    return world.bot


class Server:
    """A server the bot joins while running: an owner, an admin (Manage Server), a chat channel."""

    def __init__(self, env: simcord.Env, name: str = "Sunday Cup") -> None:
        self.env = env
        self.owner_user = env.create_user("owner")
        self.guild = env.create_guild(name=name, owner=self.owner_user)
        self.admins = self.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        self.chat = self.guild.create_text_channel("general")
        self.admin = self.guild.add_member(env.create_user("admin"), roles=[self.admins])

    def join(self, name: str, *, nick: str | None = None, global_name: str | None = None) -> simcord.MemberActor:
        return self.guild.add_member(self.env.create_user(name, global_name=global_name), nick=nick)

    def set_nick(self, member: simcord.MemberActor, nick: str | None) -> None:
        self.env.backend.edit_member(self.guild.id, member.id, {"nick": nick})
