"""Fixtures: a real simulator on loopback and clients that talk to it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from simlane.iracing.client import ClientConfig, IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config


@pytest.fixture
def sim_factory() -> Callable[..., Simulator]:
    def make(clock: SimClock | None = None, **config: object) -> Simulator:
        return Simulator(SimulatorConfig(**config), clock=clock)  # type: ignore[arg-type]

    return make


@pytest.fixture
async def sim(sim_factory: Callable[..., Simulator]) -> AsyncIterator[Simulator]:
    # A stopped clock: it moves only when a test advances it or the client sleeps (a rate-limit reset, a back-off),
    # so those waits take no real time and token expiry is exact.
    simulator = sim_factory(clock=SimClock(speed=0), chunk_size=5, members=600)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
def make_client() -> Callable[..., IRacingClient]:
    def make(sim: Simulator, **overrides: object) -> IRacingClient:
        overrides.setdefault("max_retry_seconds", 5.0)
        config: ClientConfig = demo_client_config(sim.base_url, None, **overrides)
        return IRacingClient(config, clock=sim.clock)

    return make


@pytest.fixture
async def client(sim: Simulator, make_client: Callable[..., IRacingClient]) -> AsyncIterator[IRacingClient]:
    async with make_client(sim) as c:
        yield c
