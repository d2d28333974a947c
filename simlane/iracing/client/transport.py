"""The request loop: authenticated ``/data`` calls and unauthenticated downloads, paced and retried (bounded).

Policy, from how iRacing answers errors and rate limits:

* 2xx with a JSON body: done. A plain-text ``Rate limit exceeded`` body is a rate limit even on a 2xx.
* 401: the token is forgotten and the call retried once with a fresh one; a second 401 raises.
* 429: the budget is emptied until the announced reset and the call waits for it (at most
  ``max_rate_limit_retries`` times).
* 503 ``Site Maintenance``: :class:`MaintenanceError` at once, for the caller to schedule around.
* Other 5xx, CloudFront HTML pages, timeouts and connection errors: jittered exponential backoff, bounded by
  ``max_retry_seconds`` of wall time (time spent waiting for the rate-limit window does not count).
* 400/403/404: typed errors at once.
* ``retry=False`` (callers with a deadline, such as autocomplete): the first failure of any kind raises, and a spent
  rate-limit budget raises instead of waiting for the reset.

Loops, never recursion; every wait goes through the injected clock.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
from typing import Any

import httpx

from .auth import OAuthAuthenticator
from .backoff import backoff_delay
from .clock import Clock
from .config import ClientConfig
from .errors import (
    APIStatusError,
    BadRequestError,
    ForbiddenError,
    IRacingError,
    LinkExpiredError,
    MaintenanceError,
    NotFoundError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from .metrics import ClientMetrics
from .params import encode_params
from .ratelimit import RateBudget
from .redaction import redact
from .shared_budget import SharedRateBudget

logger = logging.getLogger(__name__)

RATE_LIMIT_TEXT = "Rate limit exceeded"


class _Retry(Exception):
    """Internal: the attempt failed in a way worth another try after a backoff."""

    def __init__(self, error: IRacingError) -> None:
        self.error = error


class Transport:
    """Sends requests for the client; owns pacing, concurrency and the retry policy."""

    def __init__(
        self,
        config: ClientConfig,
        http: httpx.AsyncClient,
        auth: OAuthAuthenticator,
        clock: Clock,
        metrics: ClientMetrics,
        *,
        shared: SharedRateBudget | None = None,
    ) -> None:
        self._config = config
        self._shared = shared  # the account's budget across processes, taken on top of this process's own
        self._http = http
        self._auth = auth
        self._clock = clock
        self._metrics = metrics
        self.budget = RateBudget(clock, metrics)
        self._data_slots = asyncio.Semaphore(config.concurrency)
        self._download_slots = asyncio.Semaphore(config.download_concurrency)

    async def _release(self, grant: str | None, response: httpx.Response | None, *, exhausted: bool = False) -> None:
        self.budget.release(response, exhausted=exhausted)
        if self._shared is not None and grant:
            await self._shared.release(grant, response, exhausted=exhausted)

    async def get_data(self, path: str, params: dict[str, Any] | None, *, retry: bool = True) -> Any:
        """GET ``/data/<path>`` with the bearer token; return the parsed JSON body."""
        url = self._config.api_base_url.rstrip("/") + "/data/" + path.strip("/")
        query = encode_params(params)
        started = self._clock.time()
        paused = 0.0  # time spent waiting for the rate-limit window; not part of the retry budget
        backoff_attempt = 0
        refreshed = False
        limited = 0
        while True:
            token = await self._auth.access_token()
            async with self._data_slots:
                before = self._clock.time()
                await self.budget.acquire(wait=retry)
                try:
                    grant = await self._shared.acquire(wait=retry) if self._shared else None
                except BaseException:
                    self.budget.release(None)
                    raise
                paused += self._clock.time() - before
                response: httpx.Response | None = None
                try:
                    self._metrics.requests_sent += 1
                    response = await self._http.get(
                        url,
                        params=tuple(query),
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=self._config.request_timeout,
                    )
                    text = response.text
                except httpx.TimeoutException:
                    error: IRacingError = RequestTimeoutError(f"iRacing /data/{path} timed out")
                    await self._release(grant, None)
                except httpx.TransportError as exc:
                    error = TransportError(f"iRacing /data/{path} unreachable: {type(exc).__name__}")
                    await self._release(grant, None)
                else:
                    rate_limited = response.status_code == 429 or (
                        response.is_success and text.strip() == RATE_LIMIT_TEXT
                    )
                    await self._release(grant, response, exhausted=rate_limited)
                    if rate_limited:
                        self._metrics.rate_limited += 1
                        limited += 1
                        if not retry or limited > self._config.max_rate_limit_retries:
                            raise RateLimitError(
                                f"iRacing rate limit still exceeded after {limited - 1} waits for /data/{path}",
                                endpoint=path,
                            )
                        logger.info("iRacing rate limit hit on /data/%s; waiting for the window reset", path)
                        continue
                    if response.status_code == 401:
                        await self._auth.invalidate(token)
                        if refreshed:
                            raise UnauthorizedError(
                                f"iRacing rejected a fresh access token for /data/{path}", endpoint=path
                            )
                        refreshed = True
                        continue
                    try:
                        return _data_outcome(path, response, text)
                    except _Retry as failed:
                        error = failed.error
            backoff_attempt += 1
            delay = backoff_delay(backoff_attempt, base=1.0, cap=20.0)
            elapsed = self._clock.time() - started - paused
            if not retry or elapsed + delay > self._config.max_retry_seconds:
                raise error
            logger.warning("%s; retry %d in %.1f s", error, backoff_attempt, delay)
            self._metrics.retries += 1
            await self._clock.sleep(delay)

    async def download(self, url: str, *, retry: bool = True) -> Any:
        """GET a pre-signed link without credentials (adding a bearer header breaks S3 signatures)."""
        started = self._clock.time()
        attempt = 0
        while True:
            async with self._download_slots:
                self._metrics.downloads += 1
                try:
                    response = await self._http.get(url, timeout=self._config.request_timeout)
                    text = response.text
                except httpx.TimeoutException:
                    error: IRacingError = RequestTimeoutError(f"download timed out: {redact(url)}")
                except httpx.TransportError as exc:
                    error = TransportError(f"download failed ({type(exc).__name__}): {redact(url)}")
                else:
                    status = response.status_code
                    if response.is_success and not text.lstrip().startswith("<"):
                        return parse_body(text, response.headers.get("content-type", ""))
                    if status in (400, 401, 403, 404, 410):
                        # S3 answers an expired pre-signed URL with 403 AccessDenied "Request has expired".
                        raise LinkExpiredError(f"download link refused with HTTP {status}: {redact(url)}")
                    error = ServerError(f"download failed with HTTP {status}: {redact(url)}", status=status)
            attempt += 1
            delay = backoff_delay(attempt, base=1.0, cap=20.0)
            if not retry or self._clock.time() - started + delay > self._config.max_retry_seconds:
                raise error
            self._metrics.retries += 1
            await self._clock.sleep(delay)


def _data_outcome(path: str, response: httpx.Response, text: str) -> Any:
    """Turn one /data response into a value, a typed error, or a :class:`_Retry`."""
    status = response.status_code
    looks_html = text.lstrip().startswith("<")
    if response.is_success and not looks_html:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise _Retry(ServerError(f"iRacing /data/{path} returned a body that is not JSON", status=status)) from exc
    body = _json_dict(text)
    detail = str(body.get("error") or body.get("errorCode") or body.get("message") or "").strip()
    note = str(body.get("note") or body.get("errorDesc") or "").strip()
    message = f"iRacing /data/{path}: HTTP {status} {detail}".strip() + (f" ({note})" if note else "")
    if status == 503 and "maintenance" in (detail + note).lower():
        raise MaintenanceError(message, endpoint=path)
    if status >= 500 or looks_html:
        raise _Retry(ServerError(message, status=status, endpoint=path))
    if status == 400:
        raise BadRequestError(message, endpoint=path)
    if status == 403:
        raise ForbiddenError(message, endpoint=path)
    if status == 404:
        raise NotFoundError(message, endpoint=path)
    raise APIStatusError(message, status=status, endpoint=path)


def parse_body(text: str, content_type: str = "") -> Any:
    """Parse JSON whatever the content type says (S3 sends octet-stream); CSV when it is CSV."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "[") or stripped in ("null", "true", "false") or "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            if "csv" not in content_type:
                raise
    return list(csv.DictReader(io.StringIO(text)))


def _json_dict(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
