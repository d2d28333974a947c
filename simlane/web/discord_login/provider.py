"""The Discord provider SimLane registers with allauth (``provider_class`` in settings); see ``views``."""

from __future__ import annotations

from allauth.socialaccount.providers.discord.provider import DiscordProvider

from .views import SimLaneDiscordOAuth2Adapter


class SimLaneDiscordProvider(DiscordProvider):
    oauth2_adapter_class = SimLaneDiscordOAuth2Adapter
    # allauth imports ``<package>.urls`` and ``<package>.views`` for the login and callback routes.
    package = "simlane.web.discord_login"

    def get_default_scope(self) -> list[str]:
        return ["identify", "guilds"]
