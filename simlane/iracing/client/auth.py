"""OAuth2 for the iRacing Data API: the ``password_limited`` grant, refresh tokens, and a shared token state.

How iRacing's OAuth service behaves: the token endpoint takes form-encoded fields; the client
secret and the password are *masked* as base64(SHA-256(secret + lower(trim(identifier)))); access tokens live 600 s
and may be reused; refresh tokens are single-use; the endpoint signals its rate limit with
``400 unauthorized_client`` and a ``Retry-After`` header instead of 429.

Because refresh tokens are single-use, two workers that refresh independently burn each other's token. The token
state therefore lives in a :class:`TokenStore` that every process shares, and a refresh happens under the store's
lock after re-reading the state: the first process refreshes, the others find the new token and use it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from .backoff import backoff_delay
from .clock import Clock
from .config import ClientConfig
from .errors import (
    AuthError,
    ConfigurationError,
    RequestTimeoutError,
    TokenRateLimitedError,
    TransportError,
    UnauthorizedError,
)
from .metrics import ClientMetrics
from .redaction import register_secret

logger = logging.getLogger(__name__)

# The book's default lifetime for refresh tokens when the server does not say (7 days).
DEFAULT_REFRESH_LIFETIME = 7 * 24 * 3600.0


def mask_secret(secret: str, identifier: str) -> str:
    """Mask a client secret (identifier = client_id) or a password (identifier = username) as iRacing expects."""
    digest = hashlib.sha256((secret + identifier.strip().lower()).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class TokenSet:
    """An access token and the refresh token that came with it, with absolute expiry times (epoch seconds)."""

    access_token: str
    access_expires_at: float
    refresh_token: str | None = None
    refresh_expires_at: float | None = None

    def access_valid(self, now: float, margin: float) -> bool:
        return now < self.access_expires_at - margin

    def refresh_valid(self, now: float) -> bool:
        return bool(self.refresh_token) and (self.refresh_expires_at is None or now < self.refresh_expires_at - 5)

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "access_expires_at": self.access_expires_at,
            "refresh_token": self.refresh_token,
            "refresh_expires_at": self.refresh_expires_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenSet:
        tokens = cls(
            access_token=str(data["access_token"]),
            access_expires_at=float(data["access_expires_at"]),
            refresh_token=data.get("refresh_token"),
            refresh_expires_at=data.get("refresh_expires_at"),
        )
        register_secret(tokens.access_token)
        register_secret(tokens.refresh_token)
        return tokens


class TokenStore(Protocol):
    """Where the token state lives; shared by every process that uses the same iRacing account."""

    async def load(self) -> TokenSet | None: ...

    async def save(self, tokens: TokenSet | None) -> None: ...

    def lock(self) -> AbstractAsyncContextManager[None]:
        """Hold this while refreshing so that only one holder spends the single-use refresh token."""
        ...


class MemoryTokenStore:
    """A token store for one process (tests, scripts). Django code uses the database-backed store."""

    def __init__(self) -> None:
        self._tokens: TokenSet | None = None
        self._lock = asyncio.Lock()

    async def load(self) -> TokenSet | None:
        return self._tokens

    async def save(self, tokens: TokenSet | None) -> None:
        self._tokens = tokens

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        async with self._lock:
            yield


class OAuthAuthenticator:
    """Hands out a valid access token, doing at most one token call at a time for everyone who waits."""

    def __init__(
        self,
        config: ClientConfig,
        http: httpx.AsyncClient,
        store: TokenStore,
        clock: Clock,
        metrics: ClientMetrics,
    ) -> None:
        self._config = config
        self._http = http
        self._store = store
        self._clock = clock
        self._metrics = metrics
        self._cached: TokenSet | None = None
        self._rejected: set[str] = set()
        self._local_lock = asyncio.Lock()

    async def access_token(self) -> str:
        """Return an access token valid for at least the refresh margin, refreshing it if needed."""
        margin = self._config.token_refresh_margin
        cached = self._cached
        if cached and cached.access_valid(self._clock.time(), margin):
            return cached.access_token
        async with self._local_lock:
            cached = self._cached
            if cached and cached.access_valid(self._clock.time(), margin):
                return cached.access_token
            async with self._store.lock():
                stored = await self._store.load()
                now = self._clock.time()
                if stored and stored.access_valid(now, margin) and stored.access_token not in self._rejected:
                    # Another process refreshed while we waited for the lock.
                    self._cached = stored
                    return stored.access_token
                fresh = await self._renew(stored)
                await self._store.save(fresh)
                self._cached = fresh
                return fresh.access_token

    async def invalidate(self, access_token: str) -> None:
        """Forget a token the Data API rejected (401) so that the next call refreshes it."""
        self._rejected.add(access_token)
        if self._cached and self._cached.access_token == access_token:
            self._cached = None

    async def _renew(self, stored: TokenSet | None) -> TokenSet:
        if stored and stored.refresh_valid(self._clock.time()):
            try:
                return await self._grant({"grant_type": "refresh_token", "refresh_token": stored.refresh_token or ""})
            except TokenRateLimitedError:
                raise
            except AuthError as exc:
                # A refresh token that was already used or revoked: log in again with the password.
                logger.info("iRacing refresh token refused (%s); using the password grant", exc.error)
        if not self._config.has_credentials:
            raise ConfigurationError(
                "iRacing credentials are not configured: set IRACING_CLIENT_ID, IRACING_CLIENT_SECRET, "
                "IRACING_USERNAME and IRACING_PASSWORD"
            )
        return await self._grant(
            {
                "grant_type": "password_limited",
                "username": self._config.username,
                "password": mask_secret(self._config.password, self._config.username),
                "scope": self._config.scope,
            }
        )

    async def _grant(self, fields: dict[str, str]) -> TokenSet:
        """POST to the token endpoint, waiting out its rate limit and transient errors a bounded number of times."""
        form = {
            **fields,
            "client_id": self._config.client_id,
            "client_secret": mask_secret(self._config.client_secret, self._config.client_id),
        }
        url = self._config.oauth_base_url.rstrip("/") + "/oauth2/token"
        deadline = self._clock.time() + self._config.max_retry_seconds + self._config.max_token_wait
        attempt = 0
        while True:
            attempt += 1
            self._metrics.token_requests += 1
            try:
                response = await self._http.post(url, data=form, timeout=self._config.request_timeout)
            except httpx.TimeoutException as exc:
                error: Exception = RequestTimeoutError(f"iRacing token endpoint timed out: {exc}")
                delay = backoff_delay(attempt, base=0.5, cap=30.0)
            except httpx.TransportError as exc:
                error = TransportError(f"iRacing token endpoint unreachable: {exc}")
                delay = backoff_delay(attempt, base=0.5, cap=30.0)
            else:
                if response.status_code == 200:
                    return self._parse_tokens(response)
                body = _json_or_empty(response)
                code = str(body.get("error", ""))
                description = str(body.get("error_description", "")) or response.reason_phrase
                retry_after = _retry_after(response)
                if response.status_code == 400 and code == "unauthorized_client" and retry_after is not None:
                    error = TokenRateLimitedError(
                        f"iRacing token endpoint rate limited us; retry after {retry_after:.0f} s",
                        retry_after=retry_after,
                    )
                    if retry_after > self._config.max_token_wait:
                        raise error
                    delay = retry_after
                elif response.status_code >= 500:
                    error = AuthError(
                        f"iRacing token endpoint failed with HTTP {response.status_code}",
                        status=response.status_code,
                    )
                    delay = backoff_delay(attempt, base=0.5, cap=30.0)
                else:
                    raise AuthError(
                        f"iRacing refused the {fields['grant_type']} grant: HTTP {response.status_code} "
                        f"{code or ''} {description}".strip(),
                        status=response.status_code,
                        error=code or None,
                    )
            if attempt >= 5 or self._clock.time() + delay > deadline:
                raise error
            self._metrics.retries += 1
            await self._clock.sleep(delay)

    def _parse_tokens(self, response: httpx.Response) -> TokenSet:
        body = _json_or_empty(response)
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise AuthError("iRacing token endpoint answered without an access token", status=200)
        now = self._clock.time()
        refresh = body.get("refresh_token") or None
        refresh_lifetime = body.get("refresh_token_expires_in")
        tokens = TokenSet(
            access_token=access,
            access_expires_at=now + float(body.get("expires_in") or 600),
            refresh_token=refresh,
            refresh_expires_at=(
                now + float(refresh_lifetime if refresh_lifetime is not None else DEFAULT_REFRESH_LIFETIME)
                if refresh
                else None
            ),
        )
        register_secret(tokens.access_token)
        register_secret(tokens.refresh_token)
        return tokens


class MemberTokenAuthenticator(OAuthAuthenticator):
    """Hands out one access token that a member's sign-in gave (scope ``iracing.auth``): it asks as that member,
    is never renewed (SimLane holds no refresh token nor password for the member), and once /data refuses it the
    call fails instead of asking again."""

    def __init__(
        self, token: str, config: ClientConfig, http: httpx.AsyncClient, clock: Clock, metrics: ClientMetrics
    ) -> None:
        super().__init__(config, http, MemoryTokenStore(), clock, metrics)
        register_secret(token)
        self._token = token

    async def access_token(self) -> str:
        if self._token in self._rejected:
            raise UnauthorizedError("iRacing refused the member's access token")
        return self._token


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
