"""A local stand-in for Discord's OAuth2 service, over real HTTP on loopback (like the iRacing simulator).

Routes (paths as on discord.com, so only the base URL changes):

- ``GET/POST /oauth2/authorize`` (also under ``/api``): "log in as" a demo user, then the consent page; ``scope=bot``
  shows the server picker (``guild_id`` preselected, locked by ``disable_guild_select=true``). Authorize redirects to
  ``redirect_uri`` with ``code`` and ``state`` (and ``guild_id`` and ``permissions`` for a bot); Cancel with
  ``error=access_denied``.
- ``POST /api/oauth2/token``: ``authorization_code`` (codes are single use and bound to their ``redirect_uri``) and
  ``refresh_token`` (rotated); form-encoded only, client credentials by HTTP Basic or in the body. A bot grant's
  response carries the ``guild`` object, as Discord's does.
- ``GET /api/users/@me`` (scope ``identify``) and ``GET /api/users/@me/guilds`` (scope ``guilds``, each server with
  the user's ``permissions`` as a string).
- Linked Roles (``role_connections.py``): the application's role-connection metadata (bot token) and each user's
  role connection (scope ``role_connections.write``).
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import discord
from aiohttp import web

from simlane.core.loopback import LoopbackServer

from .pages import consent_page, login_page
from .role_connections import RoleConnections
from .world import ADMINISTRATOR, MANAGE_GUILD, World

COOKIE = "standin_user"
ACCESS_TOKEN_SECONDS = 604800  # Discord's example token lives a week


@dataclass
class StandinConfig:
    client_id: str = "100000000000000001"
    client_secret: str = "standin-client-secret"  # noqa: S105 - the stand-in's own, published on purpose
    app_name: str = "SimLane"
    bot_token: str = "standin-bot-token"  # noqa: S105 - the stand-in's own, published on purpose
    redirect_uris: tuple[str, ...] = ()  # empty: any loopback http(s) URL is accepted


@dataclass
class _Grant:
    user_id: int
    scopes: tuple[str, ...]
    redirect_uri: str
    guild_id: int | None = None
    expires_at: float = 0.0


@dataclass
class _Token:
    user_id: int
    scopes: tuple[str, ...]
    expires_at: float
    refresh_token: str = ""


@dataclass
class StandinLog:
    """What was asked of the stand-in: (method, path, status), for tests."""

    calls: list[tuple[str, str, int]] = field(default_factory=list)


def _permission_names(value: int) -> list[str]:
    return [name.replace("_", " ").title() for name, on in discord.Permissions(value) if on]


class DiscordOAuthStandin(LoopbackServer):
    name = "Discord OAuth stand-in"

    def __init__(self, world: World, config: StandinConfig | None = None, *, now: Callable[[], float] = time.time):
        self.world = world
        self.config = config or StandinConfig()
        self.now = now
        self.log = StandinLog()
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, _Token] = {}
        self._refresh: dict[str, _Token] = {}
        super().__init__(web.Application(middlewares=[self._record]))
        for prefix in ("", "/api", "/api/v10"):
            self.app.router.add_get(f"{prefix}/oauth2/authorize", self._authorize_page)
            self.app.router.add_post(f"{prefix}/oauth2/authorize", self._authorize)
        for prefix in ("/api", "/api/v10"):
            self.app.router.add_post(f"{prefix}/oauth2/token", self._token)
            self.app.router.add_get(f"{prefix}/users/@me", self._me)
            self.app.router.add_get(f"{prefix}/users/@me/guilds", self._my_guilds)
        self.role_connections = RoleConnections(self)
        self.role_connections.register(self.app)
        self.app.router.add_post("/login", self._login)
        self.app.router.add_get("/logout", self._logout)

    # -- lifecycle --------------------------------------------------------------------------------------------------

    # -- helpers ----------------------------------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as exc:
            self.log.calls.append((request.method, request.path, exc.status))
            raise
        self.log.calls.append((request.method, request.path, response.status))
        return response

    @staticmethod
    def _error(status: int, error: str, description: str = "") -> web.Response:
        body = {"error": error, "error_description": description} if description else {"error": error}
        return web.json_response(body, status=status, content_type="application/json")

    def _redirect_allowed(self, uri: str) -> bool:
        if self.config.redirect_uris:
            return uri in self.config.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme in {"http", "https"} and parts.hostname in {"127.0.0.1", "localhost", "::1"}

    def _logged_in(self, request: web.Request) -> int | None:
        raw = request.cookies.get(COOKIE, "")
        user_id = int(raw) if raw.isdigit() else None
        return user_id if user_id is not None and self.world.user(user_id) else None

    @staticmethod
    def _with_query(uri: str, params: dict[str, str]) -> str:
        parts = urlsplit(uri)
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    def _manageable(self, user_id: int) -> list[Any]:
        return [g for g in self.world.guilds_of(user_id) if g.owner or g.permissions & (ADMINISTRATOR | MANAGE_GUILD)]

    def _check_request(self, params: Any) -> web.Response | None:
        if params.get("client_id") != self.config.client_id:
            return web.Response(status=400, text="Unknown application (client_id)")
        if not self._redirect_allowed(params.get("redirect_uri", "")):
            return web.Response(status=400, text="Invalid OAuth2 redirect_uri")
        if params.get("response_type", "code") != "code" or not params.get("scope", "").split():
            return web.Response(status=400, text="Invalid response_type or scope")
        return None

    # -- authorize --------------------------------------------------------------------------------------------------

    async def _authorize_page(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        if (problem := self._check_request(params)) is not None:
            return problem
        user_id = self._logged_in(request)
        if user_id is None:
            return web.Response(text=login_page(self.world.users(), request.path_qs), content_type="text/html")
        user = self.world.user(user_id)
        assert user is not None
        guild_id = int(params["guild_id"]) if params.get("guild_id", "").isdigit() else None
        page = consent_page(
            user=user,
            app_name=self.config.app_name,
            params=params,
            guilds=self._manageable(user_id),
            selected_guild=guild_id,
            locked=params.get("disable_guild_select") == "true" and guild_id is not None,
            permission_names=_permission_names(int(params.get("permissions", "0") or 0)),
        )
        return web.Response(text=page, content_type="text/html")

    async def _authorize(self, request: web.Request) -> web.Response:
        form = await request.post()
        params = {k: str(v) for k, v in form.items()}
        if (problem := self._check_request(params)) is not None:
            return problem
        user_id = self._logged_in(request)
        if user_id is None:
            return web.Response(status=401, text="Log in first")
        redirect_uri, state = params["redirect_uri"], params.get("state", "")
        back: dict[str, str] = {"state": state} if state else {}
        if params.get("decision") != "authorize":
            raise web.HTTPFound(self._with_query(redirect_uri, {"error": "access_denied", **back}))
        scopes = tuple(params["scope"].split())
        grant = _Grant(user_id, scopes, redirect_uri, expires_at=self.now() + 600)
        if "bot" in scopes:
            guild_id = int(params["guild_id"]) if params.get("guild_id", "").isdigit() else 0
            if guild_id not in {g.id for g in self._manageable(user_id)}:
                return web.Response(status=403, text="You need Manage Server on that server to add a bot")
            permissions = int(params.get("permissions", "0") or 0)
            self.world.add_bot(guild_id, by_user_id=user_id, permissions=permissions)
            grant.guild_id = guild_id
            back |= {"guild_id": str(guild_id), "permissions": str(permissions)}
        code = secrets.token_urlsafe(24)
        self._codes[code] = grant
        raise web.HTTPFound(self._with_query(redirect_uri, {"code": code, **back}))

    async def _login(self, request: web.Request) -> web.Response:
        form = await request.post()
        user_id, next_url = str(form.get("user_id", "")), str(form.get("next", "/"))
        if not user_id.isdigit() or self.world.user(int(user_id)) is None:
            return web.Response(status=400, text="Unknown user")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = "/"
        response = web.HTTPFound(next_url)
        response.set_cookie(COOKIE, user_id, httponly=True, samesite="Lax")
        raise response

    async def _logout(self, request: web.Request) -> web.Response:
        next_url = request.query.get("next", "/")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = "/"
        response = web.HTTPFound(next_url)
        response.del_cookie(COOKIE)
        raise response

    # -- token ------------------------------------------------------------------------------------------------------

    def _client_ok(self, request: web.Request, form: Any) -> bool:
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
        return client_id == self.config.client_id and secrets.compare_digest(secret, self.config.client_secret)

    def _issue(self, user_id: int, scopes: tuple[str, ...], guild_id: int | None) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(30), secrets.token_urlsafe(30)
        token = _Token(user_id, scopes, self.now() + ACCESS_TOKEN_SECONDS, refresh)
        self._tokens[access] = token
        self._refresh[refresh] = token
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "refresh_token": refresh,
            "scope": " ".join(scopes),
        }
        if guild_id is not None:
            view = next((g for g in self.world.guilds_of(user_id) if g.id == guild_id), None)
            body["guild"] = {"id": str(guild_id), "name": view.name if view else ""}
        return body

    async def _token(self, request: web.Request) -> web.Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return self._error(400, "invalid_request", "form-encoded bodies only")
        form = await request.post()
        if not self._client_ok(request, form):
            return self._error(401, "invalid_client")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self._codes.pop(str(form.get("code", "")), None)
            if grant is None or grant.expires_at < self.now():
                return self._error(400, "invalid_grant", 'Invalid "code" in request.')
            if str(form.get("redirect_uri", "")) != grant.redirect_uri:
                return self._error(400, "invalid_grant", 'Invalid "redirect_uri" in request.')
            return web.json_response(self._issue(grant.user_id, grant.scopes, grant.guild_id))
        if grant_type == "refresh_token":
            old = self._refresh.pop(str(form.get("refresh_token", "")), None)
            if old is None:
                return self._error(400, "invalid_grant")
            for access, token in list(self._tokens.items()):
                if token is old:
                    del self._tokens[access]
            return web.json_response(self._issue(old.user_id, old.scopes, None))
        return self._error(400, "unsupported_grant_type")

    # -- API --------------------------------------------------------------------------------------------------------

    def _bearer(self, request: web.Request, scope: str) -> _Token | web.Response:
        header = request.headers.get("Authorization", "")
        token = self._tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if token is None or token.expires_at < self.now():
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        if scope not in token.scopes:
            return web.json_response({"message": "Missing Access", "code": 50001}, status=403)
        return token

    async def _me(self, request: web.Request) -> web.Response:
        token = self._bearer(request, "identify")
        if isinstance(token, web.Response):
            return token
        user = self.world.user(token.user_id)
        assert user is not None
        return web.json_response(
            {
                "id": str(user.id),
                "username": user.username,
                "global_name": user.global_name,
                "discriminator": "0",
                "avatar": None,
                "verified": False,
            }
        )

    async def _my_guilds(self, request: web.Request) -> web.Response:
        token = self._bearer(request, "guilds")
        if isinstance(token, web.Response):
            return token
        return web.json_response(
            [
                {"id": str(g.id), "name": g.name, "icon": None, "owner": g.owner, "permissions": str(g.permissions)}
                for g in self.world.guilds_of(token.user_id)
            ]
        )
