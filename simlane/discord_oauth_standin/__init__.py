"""A local stand-in for Discord's OAuth2 service (login, bot add), for the demo and the tests (see README.md)."""

from .server import DiscordOAuthStandin, StandinConfig
from .world import DEMO_ADMIN_ID, DEMO_GUILD_ID, DEMO_MEMBER_ID, GuildView, MemoryWorld, StandinUser, World, demo_world

__all__ = [
    "DEMO_ADMIN_ID",
    "DEMO_GUILD_ID",
    "DEMO_MEMBER_ID",
    "DiscordOAuthStandin",
    "GuildView",
    "MemoryWorld",
    "StandinConfig",
    "StandinUser",
    "World",
    "demo_world",
]
