"""Sign in with iRacing: the OAuth2 authorization-code grant with PKCE (S256), and the profile endpoint.

A web site proves which iRacing account a visitor controls by sending them to iRacing's ``/oauth2/authorize``,
exchanging the returned code at ``/oauth2/token`` (``grant_type=authorization_code`` with the PKCE
``code_verifier``; the client secret masked as for every grant) and asking ``/oauth2/iracing/profile`` (scope
``iracing.profile``) for ``{"iracing_name", "iracing_cust_id"}``. Codes are single use and the redirect URI must
match the registered one exactly.

The sign-in also asks for ``iracing.auth``, which lets the same token make ``/data`` requests as the member: when
iRacing grants it, ``member/info`` (which only ever describes the account whose token asks) is read once, through
the Data API client and its link indirection, to learn what the member owns. The token is then dropped, never
stored; a failure of that read leaves ``member_info`` unknown and the sign-in stands.

No Django imports: the caller passes the configuration and an ``httpx.AsyncClient``. One attempt per call, no
retries: a person is waiting in a browser, and an authorization code cannot be spent twice anyway.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from .auth import mask_secret
from .client import IRacingClient
from .config import DEFAULT_API_BASE_URL, DEFAULT_OAUTH_BASE_URL, ClientConfig
from .errors import AuthError, IRacingError, MaintenanceError, RequestTimeoutError, ServerError, TransportError
from .redaction import register_secret

logger = logging.getLogger(__name__)

PROFILE_SCOPE = "iracing.profile"
# Lets the sign-in's token make /data requests as the member (read once, for member/info).
AUTH_SCOPE = "iracing.auth"


@dataclass(frozen=True)
class AuthCodeConfig:
    """A registered authorization-code client: its id, its secret (server-side clients only), its redirect URI."""

    client_id: str
    redirect_uri: str
    client_secret: str = field(default="", repr=False)
    oauth_base_url: str = DEFAULT_OAUTH_BASE_URL
    api_base_url: str = DEFAULT_API_BASE_URL
    scope: str = f"{AUTH_SCOPE} {PROFILE_SCOPE}"
    timeout: float = 15.0

    def __post_init__(self) -> None:
        register_secret(self.client_secret)

    def url(self, path: str) -> str:
        return f"{self.oauth_base_url.rstrip('/')}/oauth2/{path}"


@dataclass(frozen=True)
class Pkce:
    """A PKCE pair: the verifier stays on the server, the S256 challenge goes to the authorize page."""

    verifier: str
    challenge: str
    method: str = "S256"


@dataclass(frozen=True)
class AuthCodeTokens:
    access_token: str = field(repr=False)
    expires_in: int
    scope: str
    refresh_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class IRacingProfile:
    """Who signed in: the customer id is the account's identity, the name is for display; ``member_info`` is
    their ``member/info`` when iRacing granted ``iracing.auth`` and the read worked, else None (unknown)."""

    cust_id: int
    name: str
    member_info: dict[str, Any] | None = field(default=None, repr=False, compare=False)


def s256_challenge(verifier: str) -> str:
    """The S256 code challenge of a verifier: base64url(SHA-256(verifier)) without padding (RFC 7636, section 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def pkce_new() -> Pkce:
    """A fresh verifier of 64 unreserved characters (RFC 7636 allows 43 to 128) and its challenge."""
    verifier = secrets.token_urlsafe(48)
    return Pkce(verifier=verifier, challenge=s256_challenge(verifier))


def authorize_url(config: AuthCodeConfig, *, state: str, pkce: Pkce) -> str:
    """Where to send the browser: iRacing's authorize page for this client, state and PKCE challenge."""
    query = urlencode(
        {
            "client_id": config.client_id,
            "redirect_uri": config.redirect_uri,
            "response_type": "code",
            "scope": config.scope,
            "state": state,
            "code_challenge": pkce.challenge,
            "code_challenge_method": pkce.method,
        }
    )
    return f"{config.url('authorize')}?{query}"


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _status_error(response: httpx.Response, what: str) -> IRacingError:
    body = _body(response)
    if response.status_code == 503:
        return MaintenanceError(f"iRacing is under maintenance ({what})", status=503, endpoint=what)
    if response.status_code >= 500:
        return ServerError(f"iRacing failed with HTTP {response.status_code} ({what})", status=response.status_code)
    code = str(body.get("error", "")) or None
    description = str(body.get("error_description", ""))
    return AuthError(
        f"iRacing refused the {what}: HTTP {response.status_code} {code or ''} {description}".strip(),
        status=response.status_code,
        error=code,
    )


async def _send(http: httpx.AsyncClient, request: httpx.Request, what: str) -> httpx.Response:
    try:
        return await http.send(request)
    except httpx.TimeoutException as exc:
        raise RequestTimeoutError(f"iRacing did not answer the {what} in time") from exc
    except httpx.TransportError as exc:
        raise TransportError(f"iRacing could not be reached for the {what}: {exc}") from exc


async def exchange_code(http: httpx.AsyncClient, config: AuthCodeConfig, *, code: str, verifier: str) -> AuthCodeTokens:
    """Trade an authorization code and its PKCE verifier for tokens (the code is spent whatever the outcome)."""
    form = {
        "grant_type": "authorization_code",
        "client_id": config.client_id,
        "code": code,
        "redirect_uri": config.redirect_uri,
        "code_verifier": verifier,
    }
    if config.client_secret:
        form["client_secret"] = mask_secret(config.client_secret, config.client_id)
    request = http.build_request("POST", config.url("token"), data=form, timeout=config.timeout)
    response = await _send(http, request, "code exchange")
    if response.status_code != 200:
        raise _status_error(response, "code exchange")
    body = _body(response)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise AuthError("iRacing answered the code exchange without an access token", status=200)
    tokens = AuthCodeTokens(
        access_token=access,
        expires_in=int(body.get("expires_in") or 0),
        scope=str(body.get("scope", "")),
        refresh_token=str(body.get("refresh_token") or ""),
    )
    register_secret(tokens.access_token)
    register_secret(tokens.refresh_token)
    return tokens


async def fetch_profile(http: httpx.AsyncClient, config: AuthCodeConfig, access_token: str) -> IRacingProfile:
    """The signed-in account (``GET /oauth2/iracing/profile``, scope ``iracing.profile``)."""
    request = http.build_request(
        "GET",
        config.url("iracing/profile"),
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=config.timeout,
    )
    response = await _send(http, request, "profile request")
    if response.status_code != 200:
        raise _status_error(response, "profile request")
    body = _body(response)
    cust_id = body.get("iracing_cust_id")
    if not isinstance(cust_id, int) or isinstance(cust_id, bool) or cust_id <= 0:
        raise AuthError("iRacing's profile carried no customer id", status=200)
    return IRacingProfile(cust_id=cust_id, name=str(body.get("iracing_name") or ""))


async def fetch_member_info(http: httpx.AsyncClient, config: AuthCodeConfig, access_token: str) -> dict[str, Any]:
    """``/data/member/info`` as the member whose token this is (scope ``iracing.auth``), links followed.

    One attempt, no waiting for the rate-limit window: a person is waiting in a browser.
    """
    client_config = ClientConfig(
        api_base_url=config.api_base_url,
        oauth_base_url=config.oauth_base_url,
        request_timeout=config.timeout,
        max_link_refreshes=0,
    )
    async with IRacingClient(client_config, http=http, member_token=access_token) as client:
        body = (await client.get_resolved("member/info", retry=False)).body
    if not isinstance(body, dict):
        raise ServerError("iRacing's member/info was not an object", status=200, endpoint="member/info")
    return body


async def sign_in(http: httpx.AsyncClient, config: AuthCodeConfig, *, code: str, verifier: str) -> IRacingProfile:
    """The whole return leg: exchange the code, read who signed in, and (with ``iracing.auth``) their
    ``member/info``. The tokens are not kept."""
    tokens = await exchange_code(http, config, code=code, verifier=verifier)
    profile = await fetch_profile(http, config, tokens.access_token)
    if AUTH_SCOPE not in tokens.scope.split():
        return profile
    try:
        info = await fetch_member_info(http, config, tokens.access_token)
    except (IRacingError, ValueError) as exc:
        # The account is proved by the profile already; only what it owns stays unknown.
        logger.warning("reading member/info of iRacing account %s at sign-in failed: %s", profile.cust_id, exc)
        return profile
    if info.get("cust_id") != profile.cust_id:
        # Ownership of some other account must never land on this one.
        logger.warning("iRacing's member/info at sign-in did not describe account %s; ignored", profile.cust_id)
        return profile
    return IRacingProfile(cust_id=profile.cust_id, name=profile.name, member_info=info)
