"""Linked Roles on the stand-in: the application's role-connection metadata and each user's role connection.

As on discord.com (``resources/application-role-connection-metadata``, ``resources/user``):

- ``PUT/GET /applications/{application_id}/role-connections/metadata`` with the bot token (``Authorization: Bot``):
  at most 5 records of ``{type, key, name, description}``; ``type`` 1–8 (integer ≤, ≥, =, ≠; datetime ≤, ≥;
  boolean =, ≠), ``key`` of ``a-z``, ``0-9`` and ``_`` (1–50), ``name`` 1–100, ``description`` 1–200 characters.
- ``PUT/GET /users/@me/applications/{application_id}/role-connection`` with the user's Bearer token holding
  ``role_connections.write``: ``platform_name`` (≤ 50), ``platform_username`` (≤ 100) and ``metadata``, an object of
  registered keys to values of at most 100 characters (Discord takes them "stringified").

Everything received is kept (``metadata``, ``connections``, ``requests``) so tests can assert what SimLane sent.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import DiscordOAuthStandin

KEY = re.compile(r"^[a-z0-9_]{1,50}$")
SCOPE = "role_connections.write"


def _invalid(message: str) -> web.Response:
    return web.json_response({"message": "Invalid Form Body", "code": 50035, "errors": message}, status=400)


def _metadata_problem(records: Any) -> str | None:
    if not isinstance(records, list) or len(records) > 5:
        return "an array of at most 5 records"
    for record in records:
        if not isinstance(record, dict):
            return "each record is an object"
        if record.get("type") not in range(1, 9):
            return "type is 1 to 8"
        if not isinstance(record.get("key"), str) or not KEY.match(record["key"]):
            return "key is a-z, 0-9 and _ (1 to 50 characters)"
        if not isinstance(record.get("name"), str) or not 1 <= len(record["name"]) <= 100:
            return "name is 1 to 100 characters"
        if not isinstance(record.get("description"), str) or not 1 <= len(record["description"]) <= 200:
            return "description is 1 to 200 characters"
    if len({r["key"] for r in records}) != len(records):
        return "keys are unique"
    return None


class RoleConnections:
    def __init__(self, standin: DiscordOAuthStandin) -> None:
        self.standin = standin
        self.metadata: dict[str, list[dict[str, Any]]] = {}  # application id → records
        self.connections: dict[tuple[int, str], dict[str, Any]] = {}  # (user id, application id) → connection
        self.requests: list[tuple[str, str, Any]] = []  # (method, path, JSON body) as received

    def register(self, app: web.Application) -> None:
        for prefix in ("/api", "/api/v10"):
            metadata = f"{prefix}/applications/{{application_id}}/role-connections/metadata"
            app.router.add_put(metadata, self._put_metadata)
            app.router.add_get(metadata, self._get_metadata)
            connection = f"{prefix}/users/@me/applications/{{application_id}}/role-connection"
            app.router.add_put(connection, self._put_connection)
            app.router.add_get(connection, self._get_connection)

    def _bot_ok(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        return header.startswith("Bot ") and secrets.compare_digest(header[4:], self.standin.config.bot_token)

    def _application(self, request: web.Request) -> str | None:
        application_id = request.match_info["application_id"]
        return application_id if application_id == self.standin.config.client_id else None

    @staticmethod
    async def _json(request: web.Request) -> Any:
        try:
            return await request.json()
        except json.JSONDecodeError:
            return None

    async def _put_metadata(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        self.requests.append((request.method, request.path, body))
        if not self._bot_ok(request):
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        application_id = self._application(request)
        if application_id is None:
            return web.json_response({"message": "Unknown Application", "code": 10002}, status=404)
        if (problem := _metadata_problem(body)) is not None:
            return _invalid(problem)
        self.metadata[application_id] = list(body)
        return web.json_response(self.metadata[application_id])

    async def _get_metadata(self, request: web.Request) -> web.Response:
        if not self._bot_ok(request):
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        application_id = self._application(request)
        if application_id is None:
            return web.json_response({"message": "Unknown Application", "code": 10002}, status=404)
        return web.json_response(self.metadata.get(application_id, []))

    async def _put_connection(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        self.requests.append((request.method, request.path, body))
        token = self.standin._bearer(request, SCOPE)
        if isinstance(token, web.Response):
            return token
        application_id = self._application(request)
        if application_id is None:
            return web.json_response({"message": "Unknown Application", "code": 10002}, status=404)
        if not isinstance(body, dict):
            return _invalid("a JSON object")
        name, username = body.get("platform_name"), body.get("platform_username")
        if name is not None and (not isinstance(name, str) or len(name) > 50):
            return _invalid("platform_name is at most 50 characters")
        if username is not None and (not isinstance(username, str) or len(username) > 100):
            return _invalid("platform_username is at most 100 characters")
        values = body.get("metadata", {})
        known = {r["key"] for r in self.metadata.get(application_id, [])}
        if not isinstance(values, dict) or any(k not in known or len(str(v)) > 100 for k, v in values.items()):
            return _invalid("metadata keys must be registered, values at most 100 characters")
        connection = {"platform_name": name, "platform_username": username, "metadata": dict(values)}
        self.connections[(token.user_id, application_id)] = connection
        return web.json_response(connection)

    async def _get_connection(self, request: web.Request) -> web.Response:
        token = self.standin._bearer(request, SCOPE)
        if isinstance(token, web.Response):
            return token
        application_id = self._application(request)
        if application_id is None:
            return web.json_response({"message": "Unknown Application", "code": 10002}, status=404)
        empty: dict[str, Any] = {"platform_name": None, "platform_username": None, "metadata": {}}
        return web.json_response(self.connections.get((token.user_id, application_id), empty))
