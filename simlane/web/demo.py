"""The dashboard's demo: without Discord credentials, log in through the local OAuth stand-in."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from django.conf import settings

from simlane.discord_oauth_standin import DiscordOAuthStandin, StandinConfig, World, demo_world


@contextlib.asynccontextmanager
async def standin_discord(world: World | None = None, *, host: str = "127.0.0.1") -> AsyncIterator[DiscordOAuthStandin]:
    """Run the stand-in on a free loopback port and point SimLane's Discord OAuth settings at it.

    Pass ``SimcordWorld`` to share users and servers with the offline Discord the bot runs in; the default is the
    in-memory demo world (a demo member and the admin of "SimLane Demo Club").
    """
    config = StandinConfig()
    standin = DiscordOAuthStandin(world or demo_world(), config)
    url = await standin.start(host)
    saved = {
        name: getattr(settings, name)
        for name in ("DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET", "DISCORD_OAUTH_BASE_URL", "DISCORD_API_BASE_URL")
    }
    settings.DISCORD_CLIENT_ID, settings.DISCORD_CLIENT_SECRET = config.client_id, config.client_secret
    settings.DISCORD_OAUTH_BASE_URL, settings.DISCORD_API_BASE_URL = url, f"{url}/api"
    try:
        yield standin
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)
        await standin.stop()
