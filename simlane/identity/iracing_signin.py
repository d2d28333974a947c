"""The iRacing side of the sign-in, from Django: the client's configuration from settings, the return leg run
from a (sync) view."""

from __future__ import annotations

import httpx
from asgiref.sync import async_to_sync
from django.conf import settings

from simlane.iracing.client.authcode import AuthCodeConfig, IRacingProfile, sign_in


def configured() -> bool:
    return bool(settings.IRACING_OAUTH_CLIENT_ID)


def config(redirect_uri: str) -> AuthCodeConfig:
    return AuthCodeConfig(
        client_id=settings.IRACING_OAUTH_CLIENT_ID,
        client_secret=settings.IRACING_OAUTH_CLIENT_SECRET,
        redirect_uri=redirect_uri,
        oauth_base_url=settings.IRACING_OAUTH_BASE_URL,
        api_base_url=settings.IRACING_API_BASE_URL,
    )


async def _complete(redirect_uri: str, code: str, verifier: str) -> IRacingProfile:
    async with httpx.AsyncClient(headers={"User-Agent": "SimLane (https://github.com/simlane)"}) as http:
        return await sign_in(http, config(redirect_uri), code=code, verifier=verifier)


def complete(*, redirect_uri: str, code: str, verifier: str) -> IRacingProfile:
    """Exchange the code (with the PKCE verifier kept in the session) and read who signed in, with their
    ``member/info`` when iRacing let the token ask for it (see ``authcode.sign_in``)."""
    return async_to_sync(_complete)(redirect_uri, code, verifier)
