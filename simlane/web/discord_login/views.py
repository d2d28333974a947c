"""allauth's Discord login, with Discord's URLs taken from settings instead of allauth's constants.

allauth's ``DiscordOAuth2Adapter`` hard-codes discord.com; its documented extension point is a provider class
(``SOCIALACCOUNT_PROVIDERS["discord"]["provider_class"]``) whose adapter we subclass here, so tests and the demo
reach the local stand-in and production reaches Discord, with the same code path.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.discord.views import DiscordOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import HttpRequest

from simlane.clubs import discord_oauth
from simlane.iracing.client.redaction import register_secret


class SimLaneDiscordOAuth2Adapter(DiscordOAuth2Adapter):
    @property
    def access_token_url(self) -> str:
        return discord_oauth.token_url()

    @property
    def authorize_url(self) -> str:
        return discord_oauth.authorize_url()

    @property
    def profile_url(self) -> str:
        return discord_oauth.api_url("users/@me")

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> SocialLogin:
        # Registered before the profile request so no log line, even an error, can carry them.
        register_secret(token.token)
        register_secret(token.token_secret)
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}, timeout=discord_oauth.TIMEOUT.read
            )
            response.raise_for_status()
            extra_data = response.json()
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(SimLaneDiscordOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(SimLaneDiscordOAuth2Adapter)
