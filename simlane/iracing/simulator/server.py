"""The simulator's HTTP server: OAuth token endpoint, /data endpoints, pre-signed "S3" links, control endpoints.

One aiohttp server plays both hosts (point ``IRACING_API_BASE_URL`` and ``IRACING_OAUTH_BASE_URL`` at it).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import secrets
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any

from aiohttp import web

from simlane.core.loopback import LoopbackServer

from .clock import SimClock
from .faults import FaultPlan
from .replay import ReplayData
from .routes import DataError, DataService, Reply
from .routes.oauth import AuthCodeService
from .world import World, iso

HTML_504 = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><HTML><HEAD><TITLE>ERROR: The request could '
    "not be satisfied</TITLE></HEAD><BODY><H1>504 Gateway Timeout ERROR</H1></BODY></HTML>"
)
S3_EXPIRED = (
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
    "<Message>Request has expired</Message></Error>"
)


def mask(secret: str, identifier: str) -> str:
    return base64.b64encode(hashlib.sha256((secret + identifier.strip().lower()).encode()).digest()).decode()


@dataclass
class Credentials:
    """The one client and user the simulator accepts (the demo's defaults; tests may pass others)."""

    client_id: str = "simlane-demo"
    client_secret: str = "simlane-demo-secret"  # noqa: S105 - a public demo value for the local simulator
    username: str = "demo@simlane.local"
    password: str = "simlane-demo-password"  # noqa: S105 - a public demo value for the local simulator


@dataclass
class SimulatorConfig:
    seed: int = 1
    members: int = 2000
    rate_limit: int = 240
    rate_window: float = 60.0
    latency: float = 0.0  # real seconds added to every /data response and every link download
    chunk_size: int = 500
    link_ttl: float = 120.0  # seconds a pre-signed link stays valid (simulated time)
    access_ttl: int = 600
    refresh_ttl: int = 7 * 86400
    token_min_interval: float = 0.0  # token calls closer than this are answered 400 unauthorized_client
    link_content_type: str = "application/json"
    replay_dir: Path | None = None
    # Simulated seconds after a session's end before its result can be searched or fetched (iRacing does not
    # document this lag; SimLane's poller assumes it is under a minute, see results/poller/policy.py).
    result_delay: float = 0.0
    # Simulated seconds each /data request moves the clock forward. Benchmarks set it to rate_window / budget to
    # model a client that spends its whole rate budget, so simulated time passes as the budget would allow.
    request_cost: float = 0.0
    # member/get (undocumented limits, our assumptions; see the README): at most this many cust_ids per call (more is
    # a 400), ratings that show a race this many seconds after its result is out, and this share of races that
    # change no rating at all.
    member_batch: int = 100
    member_staleness: float = 120.0
    unchanged_share: float = 0.01
    # Sessions with fewer entrants are unofficial: ``official_session`` false, no rating moves. 1 (every session
    # counts) keeps the small worlds of tests and the demo rated; benchmarks use iRacing's usual minimum of 6.
    official_min_entries: int = 1
    credentials: Credentials = field(default_factory=Credentials)


@dataclass
class _Window:
    start: float = 0.0
    count: int = 0


class Simulator(LoopbackServer):
    """A running (or runnable) iRacing simulator."""

    name = "iRacing simulator"

    def __init__(self, config: SimulatorConfig | None = None, *, clock: SimClock | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.clock = clock or SimClock()
        self.world = World(self.config.seed, self.config.members, official_min=self.config.official_min_entries)
        self.data: DataService | ReplayData = (
            ReplayData(self.config.replay_dir)
            if self.config.replay_dir
            else DataService(
                self.world,
                self.world.members[0].cust_id,
                result_delay=self.config.result_delay,
                member_batch=self.config.member_batch,
                member_staleness=self.config.member_staleness,
                unchanged_share=self.config.unchanged_share,
            )
        )
        self.faults = FaultPlan()
        self.calls: list[dict[str, Any]] = []
        self.counters: Counter[str] = Counter()
        self.access_tokens: dict[str, float] = {}
        self.refresh_tokens: dict[str, float] = {}
        self.used_refresh_tokens: set[str] = set()
        self._window = _Window()
        self._last_token_call = -math.inf
        self._links: dict[str, tuple[bytes, float, str]] = {}
        # Requests held by the ``timeout`` fault wait on this event; releasing swaps in a fresh one, so a later
        # ``timeout`` fault holds again.
        self._release = asyncio.Event()
        self._held = 0
        self._held_changed = asyncio.Condition()
        self.authcode = AuthCodeService(self.world, self.clock, self.faults, self._log)
        super().__init__(self._build_app())

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/oauth2/token", self._token)
        self.authcode.register(app)
        app.router.add_get("/data/{endpoint:.*}", self._data)
        app.router.add_get("/_s3/{name}", self._download)
        app.router.add_get("/_weather/{season_id:\\d+}/{week:\\d+}.json", self._weather_link)
        app.router.add_get("/_sim/state", self._state)
        app.router.add_post("/_sim/clock", self._set_clock)
        app.router.add_post("/_sim/faults", self._add_fault)
        app.router.add_delete("/_sim/faults", self._clear_faults)
        app.router.add_post("/_sim/release", self._release_held)
        app.router.add_get("/_sim/calls", self._calls)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        url = await super().start(host, port)
        if isinstance(self.data, DataService):
            self.data.payloads.base_url = url  # links and chunk URLs point back at this server
        return url

    async def stop(self) -> None:
        # Held requests are answered first: the server's shutdown waits for running handlers, and a hold that
        # nobody released would stall it.
        self.release_held()
        await super().stop()

    def release_held(self) -> None:
        """Let every request the ``timeout`` fault is holding be answered (call on the simulator's event loop)."""
        self._release.set()
        self._release = asyncio.Event()

    async def wait_until_holding(self, count: int = 1) -> None:
        """Return once ``count`` requests are being held by the ``timeout`` fault (tests start a call, then act)."""
        async with self._held_changed:
            await self._held_changed.wait_for(lambda: self._held >= count)

    async def _hold(self) -> None:
        release = self._release
        async with self._held_changed:
            self._held += 1
            self._held_changed.notify_all()
        try:
            await release.wait()
        finally:
            self._held -= 1

    # -- bookkeeping -------------------------------------------------------------------------------------------------

    def _log(self, kind: str, path: str, status: int) -> None:
        self.calls.append({"t": self.clock.time(), "kind": kind, "path": path, "status": status})
        self.counters[f"{kind}:{status}"] += 1
        self.counters[kind] += 1
        if kind == "data":
            self.counters[f"data:{path}"] += 1

    def _now_headers(self) -> dict[str, str]:
        return {"Date": formatdate(self.clock.time(), usegmt=True)}

    # -- OAuth -------------------------------------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        creds = self.config.credentials
        now = self.clock.time()
        fault = self.faults.take({"token_rate_limit"}, "oauth")
        too_soon = now - self._last_token_call < self.config.token_min_interval
        self._last_token_call = now
        if fault or too_soon:
            retry = fault.retry_after if fault else math.ceil(self.config.token_min_interval)
            self._log("token", str(form.get("grant_type")), 400)
            return web.json_response(
                {"error": "unauthorized_client", "error_description": "rate limited"},
                status=400,
                headers={"Retry-After": str(retry)},
            )
        if form.get("grant_type") == "authorization_code":  # "Sign in with iRacing", a client of its own
            return self.authcode.token(form)
        if form.get("client_id") != creds.client_id or form.get("client_secret") != mask(
            creds.client_secret, creds.client_id
        ):
            self._log("token", str(form.get("grant_type")), 401)
            return web.json_response({"error": "invalid_client"}, status=401)
        grant = form.get("grant_type")
        if grant == "password_limited":
            ok = str(form.get("username", "")).strip().lower() == creds.username.lower() and form.get(
                "password"
            ) == mask(creds.password, creds.username)
        elif grant == "refresh_token":
            token = str(form.get("refresh_token", ""))
            ok = (
                token in self.refresh_tokens
                and token not in self.used_refresh_tokens
                and self.refresh_tokens[token] > now
            )
            if ok:
                self.used_refresh_tokens.add(token)  # single use
        else:
            self._log("token", str(grant), 400)
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if not ok:
            self._log("token", str(grant), 400)
            return web.json_response({"error": "invalid_grant", "error_description": "bad credentials"}, status=400)
        access, refresh = "sim-at-" + secrets.token_urlsafe(24), "sim-rt-" + secrets.token_urlsafe(24)
        self.access_tokens[access] = now + self.config.access_ttl
        self.refresh_tokens[refresh] = now + self.config.refresh_ttl
        self._log("token", str(grant), 200)
        return web.json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": self.config.access_ttl,
                "refresh_token": refresh,
                "refresh_token_expires_in": self.config.refresh_ttl,
                "scope": "iracing.auth",
            }
        )

    # -- /data -------------------------------------------------------------------------------------------------------

    def _rate_headers(self) -> dict[str, str]:
        w = self._window
        return {
            "x-ratelimit-limit": str(self.config.rate_limit),
            "x-ratelimit-remaining": str(max(0, self.config.rate_limit - w.count)),
            "x-ratelimit-reset": str(math.ceil(w.start + self.config.rate_window)),
            **self._now_headers(),
        }

    async def _data(self, request: web.Request) -> web.StreamResponse:
        endpoint = request.match_info["endpoint"].strip("/")
        if self.config.request_cost:
            self.clock.advance(self.config.request_cost)
        now = self.clock.time()
        if self.config.latency:
            await asyncio.sleep(self.config.latency)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        # A member's own token from the authorization-code grant (scope iracing.auth) asks as that member.
        member = self.authcode.data_member(token, now) if auth.startswith("Bearer ") else None
        if not auth.startswith("Bearer ") or (member is None and self.access_tokens.get(token, 0) <= now):
            self._log("data", endpoint, 401)
            return web.json_response({"error": "Unauthorized"}, status=401, headers=self._now_headers())
        # The budget is counted per account on every authenticated request, like the live service.
        w = self._window
        if now >= w.start + self.config.rate_window:
            w.start, w.count = now, 0
        w.count += 1
        headers = self._rate_headers()
        if w.count > self.config.rate_limit or self.faults.take({"429"}, endpoint):
            self._log("data", endpoint, 429)
            return web.json_response({"error": "Rate limit exceeded"}, status=429, headers=headers)
        fault = self.faults.take(
            {"500", "502", "504_html", "timeout", "ratelimit_text", "maintenance", "expired_token"}, endpoint
        )
        if fault is not None:
            if fault.kind == "timeout":
                # Held until released, so the client's timeout fires first whatever the machine's speed; then
                # the request ends as CloudFront ends one whose origin never answered.
                await self._hold()
                self._log("data", endpoint, 504)
                return web.Response(status=504, text=HTML_504, content_type="text/html", headers=headers)
            if fault.kind == "expired_token":
                self.access_tokens.pop(token, None)
                self.authcode.tokens.pop(token, None)
                self._log("data", endpoint, 401)
                return web.json_response({"error": "Unauthorized"}, status=401, headers=headers)
            status, body, ctype = {
                "500": (500, json.dumps({"error": "Internal Server Error"}), "application/json"),
                "502": (502, json.dumps({"error": "Bad Gateway"}), "application/json"),
                "504_html": (504, HTML_504, "text/html"),
                "ratelimit_text": (200, "Rate limit exceeded", "text/plain"),
                "maintenance": (
                    503,
                    json.dumps(
                        {
                            "error": "Site Maintenance",
                            "note": "The site is currently undergoing maintenance. Please try your request later.",
                        }
                    ),
                    "application/json",
                ),
            }[fault.kind]
            self._log("data", endpoint, status)
            return web.Response(status=status, text=body, content_type=ctype, headers=headers)
        try:
            reply = self.data.handle(endpoint, dict(request.query), now, member=member)
        except DataError as exc:
            self._log("data", endpoint, exc.status)
            return web.json_response({"error": exc.error}, status=exc.status, headers=headers)
        self._log("data", endpoint, 200)
        if endpoint == "results/search_series" and "cust_id" not in request.query:
            self.counters["data:results/search_series:listing"] += 1  # whole sessions, not one driver's races
        return web.json_response(self._wrap(reply, now), headers=headers)

    def _wrap(self, reply: Reply, now: float) -> Any:
        if reply.shape == "direct":
            return reply.payload
        if reply.shape == "link":
            return {"link": self._store(reply.payload, now), "expires": iso(now + 900)}
        if reply.shape == "data_url":
            return {
                "type": reply.kind,
                "data": {"success": True},
                "data_url": self._store(reply.payload, now),
            }
        if reply.shape == "search":
            return {
                "type": reply.kind,
                "data": {"success": True, "chunk_info": self._chunk_info(reply.payload, now), "params": {}},
            }
        # chunked_link: a link to a header whose chunk_info lists the rows
        header = {**reply.payload["header"], "chunk_info": self._chunk_info(reply.payload["rows"], now)}
        return {"link": self._store(header, now), "expires": iso(now + 900)}

    def _chunk_info(self, rows: list[Any], now: float) -> dict[str, Any] | None:
        size = self.config.chunk_size
        names = []
        for i in range(0, len(rows), size):
            url = self._store(rows[i : i + size], now)
            names.append(url.rsplit("/", 1)[1])
        return {
            "chunk_size": size,
            "num_chunks": len(names),
            "rows": len(rows),
            "base_download_url": f"{self.base_url}/_s3/",
            "chunk_file_names": names,
        }

    def _store(self, payload: Any, now: float) -> str:
        name = secrets.token_hex(12)
        signature = secrets.token_hex(16)
        body = json.dumps(payload, ensure_ascii=False).encode()
        self._links[f"{name}.json"] = (body, now + self.config.link_ttl, signature)
        if len(self._links) > 20_000:  # forget the oldest links; they have long expired
            for key in list(self._links)[:5_000]:
                del self._links[key]
        return (
            f"{self.base_url}/_s3/{name}.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            f"X-Amz-Expires={int(self.config.link_ttl)}&X-Amz-Signature={signature}"
        )

    async def _download(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if self.config.latency:
            await asyncio.sleep(self.config.latency)
        stored = self._links.get(name)
        expired_fault = self.faults.take({"expired_link"}, "")
        if request.headers.get("Authorization"):
            # S3 rejects a pre-signed URL that also carries an Authorization header.
            self._log("download", name, 400)
            return web.Response(
                status=400, text="<Error><Code>InvalidArgument</Code></Error>", content_type="application/xml"
            )
        if (
            stored is None
            or stored[2] != request.query.get("X-Amz-Signature")
            or expired_fault
            or stored[1] < self.clock.time()
        ):
            self._log("download", name, 403)
            return web.Response(status=403, text=S3_EXPIRED, content_type="application/xml")
        self._log("download", name, 200)
        return web.Response(body=stored[0], content_type=self.config.link_content_type)

    async def _weather_link(self, request: web.Request) -> web.Response:
        if not isinstance(self.data, DataService):
            raise web.HTTPNotFound()
        forecast = self.data.payloads.forecast(int(request.match_info["season_id"]), int(request.match_info["week"]))
        self._log("download", "weather", 200)
        return web.json_response(forecast)

    # -- control ---------------------------------------------------------------------------------------------------

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "time": self.clock.time(),
                "iso": iso(self.clock.time()),
                "speed": self.clock.speed,
                "counters": dict(self.counters),
                "pending_faults": [f.__dict__ for f in self.faults.faults],
            }
        )

    async def _set_clock(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "speed" in body:
            self.clock.set_speed(float(body["speed"]))
        if "advance" in body:
            self.clock.advance(float(body["advance"]))
        return await self._state(request)

    async def _add_fault(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            self.faults.add(**body)
        except (TypeError, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return await self._state(request)

    async def _clear_faults(self, request: web.Request) -> web.Response:
        self.faults.clear()
        return await self._state(request)

    async def _release_held(self, request: web.Request) -> web.Response:
        self.release_held()
        return await self._state(request)

    async def _calls(self, request: web.Request) -> web.Response:
        return web.json_response(self.calls[-1000:])
