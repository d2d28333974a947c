"""Client-side pacing on iRacing's rate-limit headers.

iRacing sends ``x-ratelimit-limit`` (240), ``x-ratelimit-remaining`` and ``x-ratelimit-reset`` (epoch seconds) on
every ``/data`` response (a 60 s window). The budget mirrors them: each request takes one unit before it is
sent, and when none is left the request waits for the reset instead of collecting a 429. The reset is converted with the
server's own ``Date`` header when there is one, so a skewed local clock does not break pacing.

Several processes sharing one iRacing account each see the server's ``remaining`` and take the smaller of it and
their own count; a 429 from the overlap is still handled by the retry loop.

Two lanes: interactive calls (a slash command's autocomplete, a lookup someone waits for) go ahead of background
work (the results poller, syncs). Background work leaves the last ``reserve`` requests of a window to interactive
calls, never takes a request while an interactive call waits, and after a reset wakes after the interactive
waiters. Background code marks itself with ``with background():`` (a context variable, inherited by the tasks it
starts), so the lane needs no parameter through every client method; ``acquire(priority=...)`` is the whole
interface a shared store of the budget has to offer.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import httpx

from .clock import Clock
from .errors import RateLimitError
from .metrics import ClientMetrics

DEFAULT_WINDOW = 60.0
DEFAULT_RESERVE = 12  # requests of each window only interactive calls may take (a twentieth of 240)
BACKGROUND_LAG = 0.1  # seconds background waiters wake after interactive ones at a reset


class Priority(enum.IntEnum):
    INTERACTIVE = 0
    BACKGROUND = 1


_lane: contextvars.ContextVar[Priority] = contextvars.ContextVar("iracing_priority", default=Priority.INTERACTIVE)


@contextlib.contextmanager
def background() -> Iterator[None]:
    """Run the requests made inside (and in tasks started inside) in the background lane."""
    token = _lane.set(Priority.BACKGROUND)
    try:
        yield
    finally:
        _lane.reset(token)


def current_priority() -> Priority:
    return _lane.get()


class RateBudget:
    """Tracks what the current rate-limit window still allows."""

    def __init__(self, clock: Clock, metrics: ClientMetrics, *, reserve: int = DEFAULT_RESERVE) -> None:
        self._clock = clock
        self._metrics = metrics
        self._lock = asyncio.Lock()
        self.reserve = reserve
        self._interactive_waiting = 0
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float | None = None  # on our clock
        self.in_flight = 0

    async def acquire(self, *, wait: bool = True, priority: Priority | None = None) -> None:
        """Take one request from the budget, waiting for the window to reset if it is spent.

        ``priority`` defaults to the lane of the calling context (see :func:`background`). With ``wait=False`` a
        spent budget raises :class:`RateLimitError` at once (for callers with a deadline).
        """
        lane = current_priority() if priority is None else priority
        interactive = lane == Priority.INTERACTIVE
        waiting = False
        try:
            while True:
                async with self._lock:
                    now = self._clock.time()
                    if self.reset_at is not None and now >= self.reset_at:
                        # The window is over: the server restores the whole budget.
                        self.remaining = self.limit
                        self.reset_at = None
                    floor = 0 if interactive else min(self.reserve, max(0, (self.limit or 0) - 1))
                    yields = not interactive and self._interactive_waiting > 0
                    if not yields and (self.remaining is None or self.remaining > floor):
                        if self.remaining is not None:
                            self.remaining -= 1
                        self.in_flight += 1
                        self._publish()
                        return
                    reset_in = (self.reset_at if self.reset_at is not None else now + DEFAULT_WINDOW) - now
                if not wait:
                    raise RateLimitError("iRacing rate limit spent until the window resets", reset_in=reset_in)
                if interactive and not waiting:
                    waiting = True
                    self._interactive_waiting += 1
                self._metrics.budget_waits += 1
                await self._clock.sleep(reset_in + 0.05 + (0.0 if interactive else BACKGROUND_LAG))
        finally:
            if waiting:
                self._interactive_waiting -= 1

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
