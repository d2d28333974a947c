"""Counters a caller can read to see what the client did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ClientMetrics:
    """Counters since the client was created. ``remaining``/``limit`` mirror the last rate-limit headers."""

    requests_sent: int = 0  # authenticated /data requests put on the wire
    downloads: int = 0  # unauthenticated link, data_url and chunk downloads
    token_requests: int = 0  # calls to the OAuth token endpoint
    rate_limited: int = 0  # 429s and "Rate limit exceeded" bodies seen
    retries: int = 0  # requests sent again after a failure
    budget_waits: int = 0  # times a request waited for the rate-limit window to reset instead of sending
    remaining: int | None = None
    limit: int | None = None
