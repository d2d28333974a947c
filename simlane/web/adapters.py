"""allauth adapters: Discord is the only way in, tokens are kept encrypted, and ``next`` stays on this site."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from simlane.clubs.services import discord_credential_store


def is_local_path(url: str) -> bool:
    """Whether ``url`` is a path on this site: no scheme, no host, no ``//`` or ``\\`` tricks browsers resolve."""
    return url.startswith("/") and not url.startswith(("//", "/\\")) and "\\" not in url and "\n" not in url


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url: str | None) -> bool:
        # Only same-site paths after login: an absolute URL is refused even for an allowed host, so a crafted
        # ``next`` can never send a freshly logged-in user elsewhere.
        return bool(url) and is_local_path(str(url))

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse:
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.token is not None and sociallogin.account.provider == "discord":
            token = sociallogin.token
            discord_credential_store(
                user=user,
                discord_user_id=int(sociallogin.account.uid),
                access_token=token.token,
                refresh_token=token.token_secret or "",
                expires_at=token.expires_at,
                scopes=" ".join(sociallogin.state.get("scope", []) or []),
            )
        response: HttpResponse = super().post_login(request, user, **kwargs)
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True

    def list_apps(self, request: HttpRequest, provider: str | None = None, client_id: str | None = None) -> list[Any]:
        """The one Discord application, from settings (DISCORD_CLIENT_ID/SECRET), read at each request."""
        if provider not in (None, "discord") or (client_id and client_id != settings.DISCORD_CLIENT_ID):
            return []
        return [
            SocialApp(
                provider="discord",
                name="Discord",
                client_id=settings.DISCORD_CLIENT_ID,
                secret=settings.DISCORD_CLIENT_SECRET,
            )
        ]
