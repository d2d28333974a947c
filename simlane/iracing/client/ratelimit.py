"""Client-side pacing on iRacing's rate-limit headers.

iRacing sends ``x-ratelimit-limit`` (240), ``x-ratelimit-remaining`` and ``x-ratelimit-reset`` (epoch seconds) on
every ``/data`` response (a 60 s window). The budget mirrors them: each request takes one unit before it is
sent, and when none is left the request waits for the reset instead of collecting a 429. The reset is converted with the
server's own ``Date`` header when there is one, so a skewed local clock does not break pacing.

Several processes sharing one iRacing account each see the server's ``remaining`` and take the smaller of it and
their own count; a 429 from the overlap is still handled by the retry loop.
"""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime

import httpx

from .clock import Clock
from .errors import RateLimitError
from .metrics import ClientMetrics

DEFAULT_WINDOW = 60.0


class RateBudget:
    """Tracks what the current rate-limit window still allows."""

    def __init__(self, clock: Clock, metrics: ClientMetrics) -> None:
        self._clock = clock
        self._metrics = metrics
        self._lock = asyncio.Lock()
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float | None = None  # on our clock
        self.in_flight = 0

    async def acquire(self, *, wait: bool = True) -> None:
        """Take one request from the budget, waiting for the window to reset if it is spent.

        With ``wait=False`` a spent budget raises :class:`RateLimitError` at once (for callers with a deadline).
        """
        while True:
            async with self._lock:
                now = self._clock.time()
                if self.reset_at is not None and now >= self.reset_at:
                    # The window is over: the server restores the whole budget.
                    self.remaining = self.limit
                    self.reset_at = None
                if self.remaining is None or self.remaining > 0:
                    if self.remaining is not None:
                        self.remaining -= 1
                    self.in_flight += 1
                    self._publish()
                    return
                reset_in = (self.reset_at if self.reset_at is not None else now + DEFAULT_WINDOW) - now
            if not wait:
                raise RateLimitError("iRacing rate limit spent until the window resets", reset_in=reset_in)
            self._metrics.budget_waits += 1
            await self._clock.sleep(reset_in + 0.05)

    def release(self, response: httpx.Response | None, *, exhausted: bool = False) -> None:
        """Give back the in-flight slot and learn from the response's headers."""
        self.in_flight = max(0, self.in_flight - 1)
        if response is not None:
            self._update(response, exhausted=exhausted)
        self._publish()

    def _update(self, response: httpx.Response, *, exhausted: bool) -> None:
        headers = response.headers
        limit = _int(headers.get("x-ratelimit-limit"))
        remaining = _int(headers.get("x-ratelimit-remaining"))
        reset = _int(headers.get("x-ratelimit-reset"))
        now = self._clock.time()
        if limit is not None:
            self.limit = limit
        if reset is not None:
            server_now = _server_time(response) or now
            reset_in = min(max(float(reset) - server_now, 0.0), 3600.0)
            reset_at = now + reset_in
        elif exhausted:
            reset_at = now + DEFAULT_WINDOW
        else:
            reset_at = None
        if exhausted:
            remaining = 0
        if remaining is None:
            return
        # Requests still in flight were sent after this one was counted by the server.
        others = max(0, self.in_flight)
        server_view = max(0, remaining - others)
        new_window = reset_at is not None and (self.reset_at is None or abs(reset_at - self.reset_at) > 1.5)
        if new_window:
            self.reset_at = reset_at
            self.remaining = server_view
        else:
            self.remaining = server_view if self.remaining is None else min(self.remaining, server_view)

    def _publish(self) -> None:
        self._metrics.remaining = self.remaining
        self._metrics.limit = self.limit


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _server_time(response: httpx.Response) -> float | None:
    value = response.headers.get("date")
    if not value:
        return None
    try:
        return float(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError):
        return None
