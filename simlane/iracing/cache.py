"""``cache_or_fetch``: iRacing responses through Django's cache, with every call written to the API-call ledger."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from simlane.iracing import aio
from simlane.iracing.client import APIStatusError

T = TypeVar("T")


def cache_key(endpoint: str, params: dict[str, Any] | None = None) -> str:
    """Deterministic: sha256 of the endpoint and the sorted parameters (never Python's salted ``hash``)."""
    blob = json.dumps({"endpoint": endpoint, "params": params or {}}, sort_keys=True, default=str)
    return "iracing:" + hashlib.sha256(blob.encode()).hexdigest()


async def _log(endpoint: str, params: dict[str, Any], status: int, cached: bool, started: float) -> None:
    await aio.api_call_record(
        endpoint=endpoint,
        params=params,
        status=status,
        cached=cached,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


async def cache_or_fetch(
    endpoint: str,
    params: dict[str, Any],
    ttl: int,
    fetch: Callable[[], Awaitable[T]],
    *,
    refresh: bool = False,
) -> tuple[T, bool]:
    """(value, served from cache). ``refresh`` skips the cache read (and refills it). Values must be JSON-like."""
    key = cache_key(endpoint, params)
    started = time.perf_counter()
    if not refresh:
        hit = await aio.cache_get(key)
        if hit is not None:
            await _log(endpoint, params, 200, True, started)
            return hit, True
    try:
        value = await fetch()
    except APIStatusError as exc:
        await _log(endpoint, params, exc.status, False, started)
        raise
    await aio.cache_set(key, value, ttl)
    await _log(endpoint, params, 200, False, started)
    return value, False
