"""Recovery from every injected fault, with nothing lost and retries bounded."""

from __future__ import annotations

import asyncio

import httpx
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
    # A held request never answers, so the short timeout always fires; the back-off runs on the stopped clock.
    async with make_client(sim, request_timeout=0.05, max_retry_seconds=60.0) as client:
        expected = await client.cars()
        sim.faults.add(kind, count)
        assert await client.cars() == expected
    assert sim.faults.served[kind] == count
    assert not sim.faults.faults  # both injected faults were met and survived


async def test_a_held_request_is_answered_once_released_and_the_client_retries(sim, make_client):
    async with make_client(sim, request_timeout=30.0) as client:
        expected = await client.cars()
        sim.faults.add("timeout", 1)
        call = asyncio.create_task(client.cars())
        await sim.wait_until_holding(1)
        assert not call.done()  # nothing answers a held request but its release
        async with httpx.AsyncClient() as control:
            (await control.post(f"{sim.base_url}/_sim/release")).raise_for_status()
        assert await call == expected
    assert sim.counters["data:504"] == 1  # released as a gateway timeout, then retried


async def test_shutdown_releases_held_requests_instead_of_waiting_for_them(sim, make_client):
    async with make_client(sim, request_timeout=30.0, max_retry_seconds=0.0) as client:
        await client.cars()
        sim.faults.add("timeout", 3)
        calls = [asyncio.create_task(client.cars()) for _ in range(3)]
        await sim.wait_until_holding(3)
        # A guard only: shutdown waits for running handlers, so an unreleased hold would stall it far longer.
        await asyncio.wait_for(sim.stop(), timeout=10)
        results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, Exception) for r in results)  # each caller sees an error, none a made-up answer
    assert sim.counters["data:504"] == 3


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
