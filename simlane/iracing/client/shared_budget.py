"""One iRacing account's rate budget shared by every process that uses it, kept in Redis.

Each process's own :class:`~.ratelimit.RateBudget` only knows its own requests; ten workers on one account would
each spend the whole window. This budget lives in one Redis hash per account and is changed only by two Lua scripts
(atomic in Redis), so every process takes its units from the same count:

- ``take``: a unit from what the window still allows, or how long to wait. While nothing is known yet (first use,
  or Redis was emptied), one request at a time goes out to learn the window from its headers.
- ``learn``: the ``x-ratelimit-*`` headers of a response. Within a window the count only goes down (the smaller of
  ours and the server's); a new window (its reset moved) starts from the server's ``remaining`` less the requests
  still in flight anywhere, which the server counts after this one.

Requests in flight are a sorted set of grant ids scored by when they stop counting, so a process killed mid-request
holds its unit for one request timeout at most, never for good. Both keys expire after an idle hour, so a budget
nobody uses leaves nothing stale behind. Times are on the client's clock (``Clock``), so a
simulated clock works as it does for the local budget.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import TYPE_CHECKING

import httpx
from redis.exceptions import RedisError

from .clock import Clock
from .errors import RateLimitError
from .metrics import ClientMetrics
from .ratelimit import DEFAULT_WINDOW, _int, _server_time

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)

# KEYS: budget hash, in-flight set. ARGV: now, grant id, grant expiry, probe seconds, default window.
# Returns "0" when granted, else the seconds to wait.
_TAKE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local b = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'reset_at', 'probe_until')
local limit, remaining, reset_at, probe_until = tonumber(b[1]), tonumber(b[2]), tonumber(b[3]), tonumber(b[4])
if reset_at and now >= reset_at then
  redis.call('HDEL', KEYS[1], 'reset_at')
  reset_at = nil
  if limit then
    remaining = math.max(0, limit - redis.call('ZCARD', KEYS[2]))
    redis.call('HSET', KEYS[1], 'remaining', remaining)
  else
    remaining = nil
    redis.call('HDEL', KEYS[1], 'remaining')
  end
end
if remaining == nil then
  if probe_until and now < probe_until then return tostring(probe_until - now) end
  redis.call('HSET', KEYS[1], 'probe_until', now + tonumber(ARGV[4]))
elseif remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
else
  if not reset_at then
    reset_at = now + tonumber(ARGV[5])
    redis.call('HSET', KEYS[1], 'reset_at', reset_at)
  end
  return tostring(reset_at - now)
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[2])
redis.call('EXPIRE', KEYS[1], 3600)
redis.call('EXPIRE', KEYS[2], 3600)
return '0'
"""

# KEYS: budget hash, in-flight set. ARGV: now, grant id, limit, remaining, reset_at ('' when absent).
_LEARN = """
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('HDEL', KEYS[1], 'probe_until')
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'limit', ARGV[3]) end
if ARGV[4] == '' then return 0 end
local server_view = math.max(0, tonumber(ARGV[4]) - redis.call('ZCARD', KEYS[2]))
local b = redis.call('HMGET', KEYS[1], 'remaining', 'reset_at')
local remaining, reset_at = tonumber(b[1]), tonumber(b[2])
local new_reset = tonumber(ARGV[5])
if new_reset and (reset_at == nil or math.abs(new_reset - reset_at) > 1.5) then
  redis.call('HSET', KEYS[1], 'reset_at', new_reset, 'remaining', server_view)
elseif remaining == nil or server_view < remaining then
  redis.call('HSET', KEYS[1], 'remaining', server_view)
end
redis.call('EXPIRE', KEYS[1], 3600)
return 0
"""


def budget_keys(account: str) -> tuple[str, str]:
    """The Redis keys of an account's budget (a hash) and of its requests in flight (a sorted set)."""
    digest = hashlib.sha256(account.encode()).hexdigest()[:16]  # the account name never lands in Redis
    return f"simlane:iracing:budget:{digest}", f"simlane:iracing:inflight:{digest}"


def budget_account(client_id: str, username: str) -> str:
    """One account, one budget: iRacing's usernames are e-mail addresses, so case and stray spaces in a setting name
    the same account (as the token store's key does) and must not split its budget in two."""
    return f"{client_id}:{username.strip().lower()}"


class SharedRateBudget:
    """The account's budget in Redis; the client takes a unit before each ``/data`` request and reports its headers."""

    def __init__(
        self,
        redis: Redis,
        account: str,
        clock: Clock,
        metrics: ClientMetrics,
        *,
        request_timeout: float = 30.0,
        probe_seconds: float = 5.0,
    ) -> None:
        self._keys = list(budget_keys(account))
        self._redis = redis
        self._clock = clock
        self._metrics = metrics
        self._hold = request_timeout + 5.0
        self._probe = probe_seconds
        self._take = redis.register_script(_TAKE)
        self._learn = redis.register_script(_LEARN)

    async def acquire(self, *, wait: bool = True) -> str:
        """Take one unit for a request (waiting for the window if it is spent); return the grant to release."""
        grant = secrets.token_hex(8)
        while True:
            now = self._clock.time()
            args: list[str | float] = [now, grant, now + self._hold, self._probe, DEFAULT_WINDOW]
            try:
                wait_for = float(await self._take(keys=self._keys, args=args))
            except RedisError as exc:
                # Redis down costs the sharing only: this process still paces on its own budget (and a 429 from
                # the overlap is handled by the client's retry loop).
                logger.warning("shared iRacing rate budget unavailable (%s); pacing on this process's own", exc)
                return ""
            if wait_for <= 0:
                return grant
            if not wait:
                raise RateLimitError("iRacing rate limit (shared) spent until the window resets", reset_in=wait_for)
            self._metrics.budget_waits += 1
            await self._clock.sleep(min(wait_for, DEFAULT_WINDOW) + 0.05)

    async def release(self, grant: str, response: httpx.Response | None, *, exhausted: bool = False) -> None:
        """Give the grant back and learn from the response's headers (a 429 counts as a spent window)."""
        now = self._clock.time()
        limit = remaining = reset_at = None
        if response is not None:
            headers = response.headers
            limit = _int(headers.get("x-ratelimit-limit"))
            remaining = _int(headers.get("x-ratelimit-remaining"))
            reset = _int(headers.get("x-ratelimit-reset"))
            if reset is not None:
                server_now = _server_time(response) or now
                reset_at = now + min(max(float(reset) - server_now, 0.0), 3600.0)
            elif exhausted:
                reset_at = now + DEFAULT_WINDOW
        if exhausted:
            remaining = 0
        args: list[str | float] = [now, grant, _arg(limit), _arg(remaining), _arg(reset_at)]
        try:
            await self._learn(keys=self._keys, args=args)
        except RedisError as exc:
            logger.warning("shared iRacing rate budget unavailable (%s); its count catches up next response", exc)


def _arg(value: float | None) -> str:
    return "" if value is None else repr(value)
