"""Build the iRacing client from Django settings, and run work with one from synchronous code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from django.conf import settings

from simlane.core.clock import shared_clock
from simlane.core.db import close_async_connections
from simlane.iracing.client import ClientConfig, Clock, IRacingClient

from .token_store import DatabaseTokenStore, account_key

T = TypeVar("T")


def client_config_from_settings(**overrides: object) -> ClientConfig:
    """The client configuration the settings describe (``overrides`` win, for the demo and tests)."""
    values: dict[str, object] = {
        "client_id": settings.IRACING_CLIENT_ID,
        "client_secret": settings.IRACING_CLIENT_SECRET,
        "username": settings.IRACING_USERNAME,
        "password": settings.IRACING_PASSWORD,
        "api_base_url": settings.IRACING_API_BASE_URL,
        "oauth_base_url": settings.IRACING_OAUTH_BASE_URL,
        "concurrency": settings.IRACING_CONCURRENCY,
        "shared_budget_url": settings.REDIS_URL,
    }
    values.update(overrides)
    return ClientConfig(**values)  # type: ignore[arg-type]


def extra_account_configs() -> list[ClientConfig]:
    """One configuration per extra account in the settings (``IRACING_USERNAME_2`` ...), complete ones only."""
    return [
        client_config_from_settings(username=username, password=password)
        for username, password in settings.IRACING_EXTRA_ACCOUNTS
        if username and password
    ]


def iracing_client_create(*, config: ClientConfig | None = None, clock: Clock | None = None) -> IRacingClient:
    """A client whose token state is shared through the database with every other SimLane process."""
    config = config or client_config_from_settings()
    store = DatabaseTokenStore(account_key(config.client_id, config.username))
    # A benchmark's shared fast clock when one is set: the client paces and backs off on the simulator's time.
    return IRacingClient(config, token_store=store, clock=clock or shared_clock())


def run_with_clients(work: Callable[[list[IRacingClient]], Awaitable[T]]) -> T:
    """Like :func:`run_with_client` with every configured account: the settings' account first, then the extra
    ones (the results search spreads the tracked drivers over them, each on its own rate budget)."""

    async def go() -> T:
        try:
            async with contextlib.AsyncExitStack() as stack:
                configs = [client_config_from_settings(), *extra_account_configs()]
                clients = [await stack.enter_async_context(iracing_client_create(config=c)) for c in configs]
                return await work(clients)
        finally:
            await close_async_connections()

    return asyncio.run(go())


def run_with_client(work: Callable[[IRacingClient], Awaitable[T]]) -> T:
    """Run ``work`` with a settings client in a fresh event loop (commands, tasks), then close the client and the
    connections the async ORM opened (they would outlive the loop and keep PostgreSQL sessions open)."""

    async def go() -> T:
        try:
            async with iracing_client_create() as client:
                return await work(client)
        finally:
            await close_async_connections()

    return asyncio.run(go())
