"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config, demo_environment
from simlane.iracing.simulator.replay import RECORDED_DIR


@pytest.fixture
def fixtures_dir() -> Path:
    # Never skip: a missing fixture directory is a broken checkout, not a reason to test less.
    assert RECORDED_DIR.is_dir(), f"recorded iRacing responses not found at {RECORDED_DIR}"
    return RECORDED_DIR


SIM_NOW = datetime(2026, 3, 10, 14, 7, tzinfo=UTC)  # a Tuesday afternoon of 2026 season 1, week 11


@pytest.fixture
async def stopped_sim() -> AsyncIterator[tuple[Simulator, IRacingClient]]:
    """A small simulated world on a stopped clock at ``SIM_NOW`` and a client for it (the cache emptied)."""
    sim = Simulator(SimulatorConfig(members=50), clock=SimClock(start=SIM_NOW.timestamp(), speed=0))
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=sim.clock) as client:
            yield sim, client
    finally:
        await sim.stop()


@pytest.fixture
def simulator_settings(settings: Any) -> Iterator[Simulator]:
    """A simulator in its own thread, with SimLane's IRACING_* settings pointing at it (for commands and tasks)."""
    sim = Simulator(SimulatorConfig(members=50))
    url = sim.start_in_thread()
    for name, value in demo_environment(url).items():
        setattr(settings, name, value)
    cache.clear()
    yield sim
    sim.stop_thread()
