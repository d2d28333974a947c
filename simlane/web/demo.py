"""The dashboard's demo: without Discord credentials, log in through the local OAuth stand-in."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import simcord
from django.conf import settings

from simlane.discord_oauth_standin import DiscordOAuthStandin, MemoryWorld, StandinConfig, World, demo_world
from simlane.discord_oauth_standin.simcord_world import SimcordWorld
from simlane.discord_oauth_standin.world import DEMO_SECOND_GUILD_ID

SECOND_SERVER_NAME = "Thursday Night Endurance"


def simcord_demo_world(env: simcord.Env, *, admin_id: int, member_id: int, server_name: str) -> SimcordWorld:
    """The offline Discord of ``simlane run``'s demo as the stand-in shows it: log in as the demo server's admin or
    as a member; the admin also owns a second server without SimLane, to try adding the bot."""
    waiting = MemoryWorld()
    waiting.add_user(admin_id, "league-admin", description=f"admin of {server_name}")
    waiting.add_user(member_id, "driver-fan", description=f"a member of {server_name}")
    waiting.add_guild(DEMO_SECOND_GUILD_ID, SECOND_SERVER_NAME, owner_id=admin_id)
    waiting.add_member(DEMO_SECOND_GUILD_ID, member_id)
    return SimcordWorld(env, logins=[admin_id, member_id], waiting=waiting)


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
