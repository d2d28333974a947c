from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import simcord

from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot

from .discord_world import RACE, StoppedClock, World, make_world


@pytest.fixture
def clock() -> StoppedClock:
    return StoppedClock(RACE.replace(day=1))  # six days before the race


@pytest.fixture
async def simcord_bot(transactional_db: None, clock: StoppedClock) -> AsyncIterator[SimLaneBot]:
    yield SimLaneBot(now=clock)
    await close_async_connections()


@pytest.fixture
async def world(simcord_env: simcord.Env, simcord_bot: SimLaneBot, clock: StoppedClock) -> World:
    return await make_world(simcord_env, simcord_bot, clock)
