"""Sign in with iRacing on the simulator: the authorization-code grant with PKCE, and ``/oauth2/iracing/profile``.

As on ``oauth.iracing.com``: ``GET /oauth2/authorize`` (``client_id``, exact ``redirect_uri``, ``response_type=code``,
``code_challenge`` + ``code_challenge_method``, ``state``, ``scope``) shows a sign-in page, here a list of a few
simulated members to "log in" as, then a consent page; Allow redirects to ``redirect_uri?code=…&state=…``, Deny to
``?error=access_denied&state=…``. ``POST /oauth2/token`` with ``grant_type=authorization_code`` takes ``client_id``,
the masked ``client_secret``, ``code``, ``redirect_uri`` and ``code_verifier``. ``GET /oauth2/iracing/profile``
(Bearer, scope ``iracing.profile``) answers ``{"iracing_name", "iracing_cust_id"}``. A token whose scope has
``iracing.auth`` may also ask ``/data`` as its member (``data_member``; the server's /data handler checks it).

Our choices where iRacing documents nothing: codes live 60 simulated seconds; this simulator refuses an authorize
request without a PKCE challenge (SimLane always sends one); a code presented twice is refused and the tokens it
gave are revoked (OAuth 2.1's advice); the ``maintenance`` and ``500`` faults apply to the endpoints
``oauth2/token`` and ``oauth2/iracing/profile``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import web

from ..clock import SimClock
from ..faults import FaultPlan
from ..world import World

COOKIE = "sim_iracing_member"
CODE_TTL = 60.0
MAINTENANCE = {
    "error": "Site Maintenance",
    "note": "The site is currently undergoing maintenance. Please try your request later.",
}


@dataclass
class AuthCodeClient:
    """The one authorization-code client the simulator knows (the demo's; tests may set others)."""

    client_id: str = "simlane-web-demo"
    client_secret: str = "simlane-web-demo-secret"  # noqa: S105 - a public demo value for the local simulator
    redirect_uris: tuple[str, ...] = ()  # empty: any loopback http(s) URL is accepted


@dataclass
class _Code:
    cust_id: int
    redirect_uri: str
    challenge: str
    method: str
    scopes: tuple[str, ...]
    expires_at: float
    used: bool = False
    tokens: list[str] = field(default_factory=list)


def _mask(secret: str, identifier: str) -> str:
    return base64.b64encode(hashlib.sha256((secret + identifier.strip().lower()).encode()).digest()).decode()


def _challenge_matches(verifier: str, challenge: str, method: str) -> bool:
    if method == "plain":
        return secrets.compare_digest(verifier, challenge)
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · iRacing (simulator)</title><style>"
        "body{font-family:system-ui,sans-serif;background:#0b1d39;color:#eef;margin:0;display:flex;"
        "justify-content:center}main{background:#13294b;margin:2rem 1rem;padding:1.5rem;border-radius:8px;"
        "max-width:28rem;width:100%}button{font:inherit;border:0;border-radius:4px;padding:.6rem 1rem;cursor:pointer}"
        ".member{display:block;width:100%;text-align:left;margin:.4rem 0}.allow{background:#e4002b;color:#fff}"
        "</style></head><body><main><p><small>iRacing · local simulator, no account needed</small></p>"
        f"{body}</main></body></html>"
    )


class AuthCodeService:
    """The authorize page, the authorization-code grant and the profile endpoint, over the simulator's world."""

    def __init__(
        self,
        world: World,
        clock: SimClock,
        faults: FaultPlan,
        log: Callable[[str, str, int], None],
        *,
        client: AuthCodeClient | None = None,
        logins: tuple[int, ...] | None = None,
    ) -> None:
        self.world = world
        self.clock = clock
        self.faults = faults
        self._log = log
        self.client = client or AuthCodeClient()
        # The members offered on the sign-in page: the first few of the world unless a test or the demo says.
        self.logins = logins or tuple(m.cust_id for m in world.members[:4])
        self.codes: dict[str, _Code] = {}
        self.tokens: dict[str, tuple[int, tuple[str, ...], float]] = {}  # access token → cust_id, scopes, expiry

    def register(self, app: web.Application) -> None:
        app.router.add_get("/oauth2/authorize", self._authorize_page)
        app.router.add_post("/oauth2/authorize", self._authorize)
        app.router.add_post("/oauth2/login", self._login)
        app.router.add_get("/oauth2/iracing/profile", self._profile)

    # -- authorize -------------------------------------------------------------------------------------------------

    def _redirect_allowed(self, uri: str) -> bool:
        if self.client.redirect_uris:
            return uri in self.client.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme in {"http", "https"} and parts.hostname in {"127.0.0.1", "localhost", "::1"}

    def _check(self, params: dict[str, str]) -> web.Response | None:
        """Problems the user must see on iRacing's page: never redirect to an unverified redirect_uri."""
        if params.get("client_id") != self.client.client_id:
            return web.Response(status=400, text="invalid_client: unknown client_id")
        if not self._redirect_allowed(params.get("redirect_uri", "")):
            return web.Response(status=400, text="invalid_request: redirect_uri is not registered for this client")
        if params.get("response_type") != "code":
            return web.Response(status=400, text="unsupported_response_type")
        if not params.get("code_challenge") or params.get("code_challenge_method", "plain") not in {"S256", "plain"}:
            return web.Response(status=400, text="invalid_request: a PKCE code_challenge is required")
        return None

    def _member(self, request: web.Request) -> int | None:
        raw = request.cookies.get(COOKIE, "")
        cust_id = int(raw) if raw.isdigit() else None
        return cust_id if cust_id in self.logins else None

    @staticmethod
    def _back(uri: str, params: dict[str, str]) -> str:
        parts = urlsplit(uri)
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    async def _authorize_page(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        if (problem := self._check(params)) is not None:
            return problem
        cust_id = self._member(request)
        if cust_id is None:
            buttons = "".join(
                f'<button class="member" name="cust_id" value="{m.cust_id}" data-cust-id="{m.cust_id}">'
                f"<strong>{escape(m.display_name)}</strong> <small>#{m.cust_id}</small></button>"
                for cid in self.logins
                if (m := self.world.by_id.get(cid))
            )
            body = (
                "<h1>Sign in to iRacing</h1><p>Pick a simulated member.</p>"
                f'<form method="post" action="/oauth2/login"><input type="hidden" name="next" '
                f'value="{escape(request.path_qs)}">{buttons}</form>'
            )
            return web.Response(text=_page("Sign in", body), content_type="text/html")
        member = self.world.by_id[cust_id]
        hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())
        body = (
            f"<h1>Allow access to your iRacing account?</h1><p>Signed in as <strong>{escape(member.display_name)}"
            f"</strong> (#{cust_id}).</p><p>The application will learn your name and customer id.</p>"
            f'<form method="post" action="/oauth2/authorize">{hidden}'
            '<button name="decision" value="deny">Deny</button> '
            '<button class="allow" name="decision" value="allow" data-testid="iracing-allow">Allow</button></form>'
        )
        return web.Response(text=_page("Allow access", body), content_type="text/html")

    async def _login(self, request: web.Request) -> web.Response:
        form = await request.post()
        raw, next_url = str(form.get("cust_id", "")), str(form.get("next", "/"))
        if not raw.isdigit() or int(raw) not in self.logins:
            return web.Response(status=400, text="Unknown member")
        if not next_url.startswith("/oauth2/authorize"):
            next_url = "/"
        response = web.HTTPFound(next_url)
        response.set_cookie(COOKIE, raw, httponly=True, samesite="Lax")
        raise response

    async def _authorize(self, request: web.Request) -> web.Response:
        form = await request.post()
        params = {k: str(v) for k, v in form.items() if k != "decision"}
        if (problem := self._check(params)) is not None:
            return problem
        cust_id = self._member(request)
        if cust_id is None:
            return web.Response(status=401, text="Sign in first")
        back = {"state": params["state"]} if params.get("state") else {}
        if form.get("decision") != "allow":
            raise web.HTTPFound(self._back(params["redirect_uri"], {"error": "access_denied", **back}))
        code = secrets.token_urlsafe(24)
        self.codes[code] = _Code(
            cust_id=cust_id,
            redirect_uri=params["redirect_uri"],
            challenge=params["code_challenge"],
            method=params.get("code_challenge_method", "plain"),
            scopes=tuple(params.get("scope", "").split()),
            expires_at=self.clock.time() + CODE_TTL,
        )
        raise web.HTTPFound(self._back(params["redirect_uri"], {"code": code, **back}))

    # -- token and profile -----------------------------------------------------------------------------------------

    def _fault(self, endpoint: str) -> web.Response | None:
        fault = self.faults.take({"maintenance", "500"}, endpoint)
        if fault is None:
            return None
        status, body = (503, MAINTENANCE) if fault.kind == "maintenance" else (500, {"error": "Internal Server Error"})
        self._log("oauth", endpoint, status)
        return web.json_response(body, status=status)

    def _refuse(self, status: int, error: str, description: str) -> web.Response:
        self._log("token", "authorization_code", status)
        return web.json_response({"error": error, "error_description": description}, status=status)

    def token(self, form: Any) -> web.Response:
        """``grant_type=authorization_code`` at ``POST /oauth2/token`` (the server routes that grant here)."""
        if (failure := self._fault("oauth2/token")) is not None:
            return failure
        if form.get("client_id") != self.client.client_id or form.get("client_secret") != _mask(
            self.client.client_secret, self.client.client_id
        ):
            return self._refuse(401, "invalid_client", "unknown client or wrong secret")
        code = self.codes.get(str(form.get("code", "")))
        now = self.clock.time()
        if code is None or code.expires_at <= now:
            return self._refuse(400, "invalid_grant", "unknown or expired code")
        if code.used:
            for token in code.tokens:  # a replayed code may be stolen: revoke what it gave
                self.tokens.pop(token, None)
            return self._refuse(400, "invalid_grant", "code already used")
        code.used = True
        if str(form.get("redirect_uri", "")) != code.redirect_uri:
            return self._refuse(400, "invalid_grant", "redirect_uri does not match")
        if not _challenge_matches(str(form.get("code_verifier", "")), code.challenge, code.method):
            return self._refuse(400, "invalid_grant", "code_verifier does not match the code_challenge")
        access = "sim-ac-" + secrets.token_urlsafe(24)
        self.tokens[access] = (code.cust_id, code.scopes, now + 600)
        code.tokens.append(access)
        self._log("token", "authorization_code", 200)
        return web.json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 600,
                "scope": " ".join(code.scopes),
            }
        )

    def data_member(self, token: str, now: float) -> int | None:
        """Whose /data requests ``token`` may make: the signed-in member's, while it lives and carries
        ``iracing.auth``; None for any other token."""
        entry = self.tokens.get(token)
        if entry is None or entry[2] <= now or "iracing.auth" not in entry[1]:
            return None
        return entry[0]

    async def _profile(self, request: web.Request) -> web.Response:
        if (failure := self._fault("oauth2/iracing/profile")) is not None:
            return failure
        header = request.headers.get("Authorization", "")
        entry = self.tokens.get(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
        if entry is None or entry[2] <= self.clock.time():
            self._log("oauth", "oauth2/iracing/profile", 401)
            return web.json_response({"error": "Unauthorized"}, status=401)
        cust_id, scopes, _ = entry
        if "iracing.profile" not in scopes:
            self._log("oauth", "oauth2/iracing/profile", 403)
            return web.json_response({"error": "insufficient_scope"}, status=403)
        self._log("oauth", "oauth2/iracing/profile", 200)
        member = self.world.by_id[cust_id]
        return web.Response(
            text=json.dumps({"iracing_name": member.display_name, "iracing_cust_id": cust_id}, ensure_ascii=False),
            content_type="application/json",
        )
