"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config, demo_environment
from simlane.iracing.simulator.replay import RECORDED_DIR

# Services the README does not promise: a test marked ``needs_redis`` or ``needs_postgres`` is skipped, with the
# reason shown, when its server cannot be reached. CI starts both and sets SIMLANE_REQUIRE_SERVICES=1, which turns
# such a skip into a failure and fails the run on any skipped test at all.
REDIS_URL = os.environ.get("SIMLANE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get("SIMLANE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SERVICES = {"needs_redis": ("Redis", REDIS_URL, 6379), "needs_postgres": ("PostgreSQL", POSTGRES_URL, 5432)}


def services_required() -> bool:
    return os.environ.get("SIMLANE_REQUIRE_SERVICES", "") == "1"


def reachable(url: str, default_port: int) -> bool:
    """Whether something accepts TCP connections at the URL's host and port (within a second)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    for marker, (name, _, _) in SERVICES.items():
        config.addinivalue_line("markers", f"{marker}: needs a {name} server; skipped when it cannot be reached")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (name, url, port) in SERVICES.items():
        if item.get_closest_marker(marker) is None or reachable(url, port):
            continue
        where = urlsplit(url)
        reason = f"needs {name}, which cannot be reached at {where.hostname}:{where.port or port}"
        if services_required():
            pytest.fail(f"{reason} (SIMLANE_REQUIRE_SERVICES=1)", pytrace=False)
        pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if services_required() and skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = len(terminalreporter.stats.get("skipped", []))
    if services_required() and skipped:
        terminalreporter.write_line(
            f"SIMLANE_REQUIRE_SERVICES=1: {skipped} skipped test(s) fail this run; every test must run.", red=True
        )


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
