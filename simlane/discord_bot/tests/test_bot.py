"""The real discord.py bot against simcord: extensions load, commands sync, slash commands answer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import simcord

from simlane.discord_bot.bot import EXTENSIONS, SimLaneBot


@dataclass
class Server:
    bot: SimLaneBot
    channel: simcord.ChannelHandle
    member: simcord.MemberActor


@pytest.fixture
def simcord_bot(transactional_db: None) -> SimLaneBot:
    """The bot simcord's own `simcord_env` fixture runs (simcord's pytest plugin), with the database it records
    members in, which outlives the bot."""
    return SimLaneBot()


@pytest.fixture
async def server(simcord_env: simcord.Env, simcord_bot: SimLaneBot) -> Server:
    """The real bot in a simcord server with one text channel and one member (async: with the members intent,
    the bot starts chunking a new server at once, on the running loop)."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    return Server(simcord_bot, channel, guild.add_member(simcord_env.create_user("alice")))


async def test_every_extension_loads_and_no_command_name_collides(server):
    assert set(server.bot.extensions) == set(EXTENSIONS)
    names = [c.qualified_name for c in server.bot.tree.walk_commands()]
    assert len(names) == len(set(names))
    assert "results preview" in server.member.available_commands(server.channel)


async def test_results_preview_shows_a_sample_embed_only_to_the_caller(server):
    channel = server.channel
    result = await server.member.slash(channel, "results preview")
    assert result.ephemeral
    assert result.response is not None
    embed = result.response.embeds[0]
    assert embed.title is not None and embed.title.startswith("🏁 ") and "— P4" in embed.title
    assert {f.name for f in embed.fields} >= {"Field", "Laps", "Incidents", "SOF", "Best lap", "iRating"}
    assert embed.footer.text is not None and embed.footer.text.startswith("Subsession ")
    assert channel.last_message is None  # nothing was posted publicly


def test_command_reference_lists_every_slash_command():
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bot", "commands", "--json", stdout=out)
    catalog = json.loads(out.getvalue())
    names = [c["name"] for c in catalog]
    assert {"track", "untrack", "tracked", "results channel", "results mode", "results last", "results preview"} <= set(
        names
    )
    restricted = {c["name"]: c["permissions"] for c in catalog if c["permissions"]}
    assert restricted == {
        "results channel": ["Manage Server or the SimLane admin role"],
        "results mode": ["Manage Server or the SimLane admin role"],
        "results adminrole": ["Manage Server"],
        **{
            name: ["Manage Server or the SimLane admin role"]
            for name in (
                "setup",
                "forcerelease",
                "sync",
                "auditlog",
                "raceguide follow",
                "members sync",
                "members review",
            )
        },
    }
    assert all(c["description"] for c in catalog)


def test_readme_command_reference_matches_the_code():
    import io
    from pathlib import Path

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bot", "commands", stdout=out)
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert out.getvalue().strip() in readme, "README's slash-command table is stale: paste `simlane bot commands`"
