from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import SimLaneDiscordProvider

urlpatterns = default_urlpatterns(SimLaneDiscordProvider)
