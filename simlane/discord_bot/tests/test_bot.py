"""The real discord.py bot against simcord: extensions load, commands sync, slash commands answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import discord
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


def _readme_slash_commands() -> dict[str, str]:
    """Name → description of every row of the README's slash-command table."""
    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    table = text.split("### Slash commands", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| `/")]
    return {cells[1].strip().strip("`").removeprefix("/"): cells[2].strip() for cells in rows}


async def _tree_commands() -> dict[str, str]:
    """Name → description of every slash command in the real command tree, every extension loaded."""
    bot = SimLaneBot()
    try:
        for name in EXTENSIONS:
            await bot.load_extension(name)
        return {
            c.qualified_name: c.description
            for c in bot.tree.walk_commands()
            if isinstance(c, discord.app_commands.Command)
        }
    finally:
        await bot.close()


def test_command_reference_lists_every_slash_command():
    import asyncio
    import io
    import json

    from django.core.management import call_command

    tree = asyncio.run(_tree_commands())
    assert len(tree) > 20  # the walk really loaded every extension
    out = io.StringIO()
    call_command("bot", "commands", "--json", stdout=out)
    catalog = json.loads(out.getvalue())
    # `simlane bot commands` and the README's table list every command of the tree, none other, as described there.
    assert {c["name"]: c["description"] for c in catalog} == tree
    readme = _readme_slash_commands()
    assert set(readme) == set(tree), "README's slash-command table drifted: paste `simlane bot commands`"
    assert readme == tree
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
                "raceguide unfollow",
                "results limit",
                "results untrack-by",
                "results cards",
                "results highlights",
                "results digest",
                "verify",
                "unlink",
                "members sync",
                "members review",
                "event create",
                "event cancel",
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
