"""The stand-in reads simcord's world: adding the bot in the browser puts the server in front of the real bot."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import discord
import httpx
import simcord

from simlane.discord_oauth_standin import DiscordOAuthStandin, MemoryWorld
from simlane.discord_oauth_standin.simcord_world import SimcordWorld

REDIRECT = "http://127.0.0.1:9/callback"
CLIENT = ("100000000000000001", "standin-client-secret")


async def test_a_server_added_on_the_standin_is_the_one_the_bot_sees():
    bot = discord.Client(intents=discord.Intents.default())
    async with simcord.run(bot) as env:
        admin, member = env.create_user("league_admin"), env.create_user("driver")
        existing = env.create_guild("Existing League", owner=admin)
        waiting = MemoryWorld()
        new_id = 340000000000000001
        waiting.add_guild(new_id, "New League", owner_id=admin.id)
        waiting.add_member(new_id, member.id)
        world = SimcordWorld(env, logins=[admin.id, member.id], waiting=waiting)
        assert {(g.name, g.bot_present) for g in world.guilds_of(admin.id)} == {
            ("Existing League", True),
            ("New League", False),
        }
        assert bot.get_guild(new_id) is None

        standin = DiscordOAuthStandin(world)
        await standin.start()
        try:
            async with httpx.AsyncClient(base_url=standin.base_url) as browser:
                await browser.post("/login", data={"user_id": str(admin.id), "next": "/"})
                form = {
                    "client_id": CLIENT[0],
                    "redirect_uri": REDIRECT,
                    "scope": "bot applications.commands",
                    "guild_id": str(new_id),
                    "permissions": "3072",
                    "decision": "authorize",
                }
                response = await browser.post("/oauth2/authorize", data=form)
                assert response.status_code == 302
                assert parse_qs(urlsplit(response.headers["location"]).query)["guild_id"] == [str(new_id)]
        finally:
            await standin.stop()
        await env.settle()

        guild = bot.get_guild(new_id)
        assert guild is not None and guild.name == "New League" and guild.owner_id == admin.id
        assert member.id in env.backend.guilds[new_id].members  # the bot has no members intent here
        views = {g.id: g for g in world.guilds_of(member.id)}
        assert views[new_id].bot_present and not views[new_id].permissions & (8 | 32)  # still a plain member
        assert existing.id in {g.id for g in world.guilds_of(admin.id)}
