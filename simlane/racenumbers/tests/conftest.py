"""The real bot in simcord with the iRacing simulator (leagues 7001/7002 with car numbers, 7999 private)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import discord
import pytest
import simcord

from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.offline import handled_errors as handled
from simlane.discord_bot.offline import reply_text as text
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config

T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC).timestamp()


@dataclass
class League:
    sim: Simulator
    bot: SimLaneBot


@pytest.fixture
async def league(transactional_db: None) -> AsyncIterator[League]:
    clock = SimClock(start=T0, speed=0)
    sim = Simulator(SimulatorConfig(members=600, seed=3), clock=clock)
    await sim.start()
    client = IRacingClient(demo_client_config(sim.base_url, max_retry_seconds=30.0), clock=clock)
    try:
        async with client:
            yield League(sim, SimLaneBot(iracing=client, now=lambda: datetime.fromtimestamp(clock.time(), UTC)))
    finally:
        await sim.stop()
        await close_async_connections()


@pytest.fixture
def simcord_bot(league: League) -> SimLaneBot:
    return league.bot


class Server:
    def __init__(self, env: simcord.Env) -> None:
        self.guild = env.create_guild(name="Sunday Cup")
        admins = self.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        self.chat = self.guild.create_text_channel("numbers")
        self.news = self.guild.create_text_channel("announcements")
        self.admin = self.guild.add_member(env.create_user("admin"), roles=[admins])
        self.members = [self.guild.add_member(env.create_user(f"driver{i}")) for i in range(4)]


__all__ = ["League", "Server", "handled", "text"]
