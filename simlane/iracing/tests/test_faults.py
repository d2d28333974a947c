"""Recovery from every injected fault, with nothing lost and retries bounded."""

from __future__ import annotations

import pytest

from simlane.iracing.client import (
    BadRequestError,
    MaintenanceError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnauthorizedError,
)

# (fault, how many in a row the client must survive)
RECOVERABLE = [
    ("500", 3),
    ("502", 2),
    ("504_html", 2),
    ("timeout", 2),
    ("expired_link", 2),
    ("ratelimit_text", 2),
    ("429", 2),
    ("expired_token", 1),
]


@pytest.mark.parametrize(("kind", "count"), RECOVERABLE, ids=[k for k, _ in RECOVERABLE])
async def test_client_recovers_from_fault_with_the_same_answer(sim, make_client, kind, count):
    async with make_client(sim, request_timeout=0.5, max_retry_seconds=60.0) as client:
        expected = await client.cars()
        sim.faults.add(kind, count, delay=1.0)
        assert await client.cars() == expected
    assert sim.faults.served[kind] == count
    assert not sim.faults.faults  # both injected faults were met and survived


async def test_persistent_5xx_gives_up_within_the_retry_budget(sim, make_client):
    async with make_client(sim, max_retry_seconds=2.0) as client:
        await client.cars()
        sim.faults.add("500", 1000)
        with pytest.raises(ServerError):
            await client.cars()
        # The smallest jittered delays are 0.5 s, 1 s, 2 s: a third retry cannot fit a 2 s budget, whatever the
        # request times. Every attempt is one request; nothing else was sent.
        assert client.metrics.retries <= 2
        assert sim.faults.served["500"] == client.metrics.retries + 1


async def test_maintenance_raises_at_once_without_hammering(sim, client):
    await client.cars()
    sim.faults.add("maintenance", 100)
    before = sim.counters["data"]
    with pytest.raises(MaintenanceError, match="Site Maintenance"):
        await client.tracks()
    assert sim.counters["data"] - before == 1


async def test_repeated_429s_are_bounded(sim, make_client):
    async with make_client(sim, max_rate_limit_retries=2) as client:
        await client.cars()
        sim.faults.add("429", 100)
        with pytest.raises(RateLimitError):
            await client.tracks()
        assert client.metrics.rate_limited == 3


async def test_second_401_after_a_fresh_token_is_an_error(sim, client):
    await client.cars()
    sim.faults.add("expired_token", 2)
    with pytest.raises(UnauthorizedError):
        await client.tracks()


async def test_not_found_and_bad_request_fail_at_once(sim, client):
    with pytest.raises(NotFoundError):
        await client.results_get(12345)
    with pytest.raises(BadRequestError):
        await client.get("lookup/drivers")
    assert client.metrics.retries == 0
