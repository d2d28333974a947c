"""Discord's OAuth2 service as SimLane's web side uses it: the user's servers, the bot-add code exchange, refresh.

Blocking (httpx) because Django views call it; every call has a timeout and no retry loop (a failed call is shown
to the user, who can try again). The base URLs are settings so tests and the demo point them at the local stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from simlane.core.errors import ApplicationError
from simlane.iracing.client.redaction import register_secret

TIMEOUT = httpx.Timeout(10.0)


class DiscordOAuthError(ApplicationError):
    """Discord's OAuth2 service refused a request or could not be reached."""


class DiscordTokenExpired(DiscordOAuthError):
    """The stored access token is no longer accepted (401)."""


@dataclass(frozen=True)
class UserGuild:
    """A server the logged-in user is in, with their server-wide permissions there."""

    id: int
    name: str
    owner: bool
    permissions: int


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str
    guild_id: int | None = None  # only for a bot authorization: the server the bot was added to
    guild_name: str = ""


def api_url(path: str) -> str:
    return f"{settings.DISCORD_API_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def authorize_url() -> str:
    return f"{settings.DISCORD_OAUTH_BASE_URL.rstrip('/')}/oauth2/authorize"


def token_url() -> str:
    return api_url("oauth2/token")


def discord_request(
    method: str, url: str, *, refused: str, expired: str | None = None, **kwargs: Any
) -> httpx.Response:
    """One request to Discord's OAuth2 service or API: its 200 answer, or an error the user can act on.

    ``refused`` is the message for any other status (``{status}`` and ``{text}`` are filled in); ``expired``, when
    given, the one for a 401 (a token Discord no longer accepts), raised as :class:`DiscordTokenExpired`.
    """
    try:
        with httpx.Client(timeout=TIMEOUT, headers={"User-Agent": "SimLane (https://github.com/simlane)"}) as client:
            response = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise DiscordOAuthError("Discord could not be reached; try again in a moment.") from exc
    if expired is not None and response.status_code == 401:
        raise DiscordTokenExpired(expired)
    if response.status_code != 200:
        raise DiscordOAuthError(refused.format(status=response.status_code, text=response.text[:200]))
    return response


def fetch_user_guilds(access_token: str) -> list[UserGuild]:
    """The servers of the token's user (``GET /users/@me/guilds``, up to 200: Discord's cap, so one page)."""
    response = discord_request(
        "GET",
        api_url("users/@me/guilds"),
        headers={"Authorization": f"Bearer {access_token}"},
        refused="Discord refused the server list (HTTP {status}); try again.",
        expired="Your Discord login has expired; log in again.",
    )
    return [
        UserGuild(
            id=int(g["id"]), name=str(g.get("name", "")), owner=bool(g.get("owner")), permissions=int(g["permissions"])
        )
        for g in response.json()
    ]


def _grant(payload: dict[str, Any]) -> TokenGrant:
    guild = payload.get("guild") or {}
    grant = TokenGrant(
        access_token=str(payload["access_token"]),
        refresh_token=str(payload.get("refresh_token", "")),
        expires_in=int(payload.get("expires_in", 0)),
        scope=str(payload.get("scope", "")),
        guild_id=int(guild["id"]) if guild.get("id") else None,
        guild_name=str(guild.get("name", "")),
    )
    register_secret(grant.access_token)
    register_secret(grant.refresh_token)
    return grant


def _token_request(form: dict[str, str]) -> TokenGrant:
    auth = (settings.DISCORD_CLIENT_ID, settings.DISCORD_CLIENT_SECRET)
    response = discord_request(
        "POST",
        token_url(),
        data=form,
        auth=auth,
        refused="Discord refused the authorization (HTTP {status}); try again.",
    )
    return _grant(response.json())


def exchange_code(code: str, redirect_uri: str) -> TokenGrant:
    """Exchange an authorization code; for a bot authorization the grant names the server the bot joined."""
    return _token_request({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})


def refresh(refresh_token: str) -> TokenGrant:
    """A new access token (Discord rotates the refresh token too)."""
    return _token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
