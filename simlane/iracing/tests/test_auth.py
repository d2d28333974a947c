"""OAuth against the simulator's token endpoint: masking, single-flight, refresh, fallback, back-off."""

from __future__ import annotations

import asyncio

import pytest

from simlane.core.db import close_async_connections
from simlane.iracing.client import AuthError, IRacingClient, mask_secret
from simlane.iracing.simulator import Credentials


def test_mask_trims_and_lowercases_the_identifier():
    masked = mask_secret("MyPassword", "TestUser")
    assert masked == mask_secret("MyPassword", "  testuser  ")
    # base64 of a 32-byte SHA-256 digest, standard alphabet
    assert len(masked) == 44 and masked.endswith("=")
    assert masked != mask_secret("MyPassword", "other")


async def test_fifty_concurrent_requests_make_one_token_call(sim, client):
    await asyncio.gather(*(client.get("constants/categories") for _ in range(50)))
    assert sim.counters["token:200"] == 1
    assert client.metrics.token_requests == 1


async def test_expired_access_token_is_refreshed_once_for_concurrent_callers(sim, client):
    await client.get("constants/categories")
    sim.clock.advance(601)
    await asyncio.gather(*(client.get("car/get") for _ in range(20)))
    grants = [c["path"] for c in sim.calls if c["kind"] == "token"]
    assert grants == ["password_limited", "refresh_token"]


async def test_used_refresh_token_falls_back_to_password_grant(sim, client):
    await client.get("constants/categories")
    sim.used_refresh_tokens.update(sim.refresh_tokens)  # as if another worker had spent it
    sim.clock.advance(601)
    assert await client.get("constants/divisions")
    grants = [(c["path"], c["status"]) for c in sim.calls if c["kind"] == "token"]
    assert grants == [("password_limited", 200), ("refresh_token", 400), ("password_limited", 200)]


async def test_token_endpoint_rate_limit_is_waited_out(sim, client):
    sim.faults.add("token_rate_limit", 1, retry_after=1)
    assert await client.get("constants/categories")
    assert [c["status"] for c in sim.calls if c["kind"] == "token"] == [400, 200]


async def test_wrong_password_is_a_clear_auth_error(sim, make_client):
    async with make_client(sim, password="wrong") as bad:
        with pytest.raises(AuthError, match="password_limited"):
            await bad.get("constants/categories")
    assert sim.counters["token:400"] == 1  # no retry storm against the token endpoint


async def test_unmasked_secret_is_rejected(sim):
    creds = Credentials()
    import httpx

    async with httpx.AsyncClient() as http:
        response = await http.post(
            sim.base_url + "/oauth2/token",
            data={
                "grant_type": "password_limited",
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
                "username": creds.username,
                "password": creds.password,
            },
        )
    assert response.status_code == 401


@pytest.mark.django_db(transaction=True)
async def test_workers_sharing_the_database_store_never_burn_each_others_refresh_token(sim):
    from simlane.iracing.simulator.local import demo_client_config
    from simlane.iracing.token_store import DatabaseTokenStore

    def worker() -> IRacingClient:
        return IRacingClient(demo_client_config(sim.base_url), token_store=DatabaseTokenStore("acct"), clock=sim.clock)

    workers = [worker() for _ in range(4)]
    await asyncio.gather(*(w.get("constants/categories") for w in workers))
    assert sim.counters["token:200"] == 1
    sim.clock.advance(601)
    await asyncio.gather(*(w.get("car/get") for w in workers for _ in range(3)))
    grants = [(c["path"], c["status"]) for c in sim.calls if c["kind"] == "token"]
    assert grants == [("password_limited", 200), ("refresh_token", 200)]
    for w in workers:
        await w.aclose()
    await close_async_connections()


def _database_url() -> str:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_separate_processes_share_one_token_and_one_refresh():
    """Three real OS processes: one password grant between them, and after expiry exactly one refresh."""
    import os
    import subprocess
    import sys

    from simlane.iracing.simulator import Simulator, SimulatorConfig

    sim = Simulator(SimulatorConfig(members=50))
    url = sim.start_in_thread()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.local"}

    def run_workers() -> list[str]:
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "simlane.iracing.tests.token_worker", url, "5"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = []
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            outputs.append(out.strip())
        return outputs

    try:
        assert run_workers() == ["5", "5", "5"]
        sim.clock.advance(601)
        assert run_workers() == ["5", "5", "5"]
    finally:
        sim.stop_thread()
    grants = [(c["path"], c["status"]) for c in sim.calls if c["kind"] == "token"]
    assert grants == [("password_limited", 200), ("refresh_token", 200)]
