"""`/help` lists every slash command the bot registers, by feature, marks the admin-only ones, pages through them
and, in a direct message, says which work only in a server (the real bot in simcord)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import simcord

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.offline import reply_text

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = re.compile(r"Page (\d+) of (\d+)")
LINE = re.compile(r"^`/([a-z -]+)`( 🔒)?( 🏠)? — ")


@pytest.fixture
def simcord_bot() -> SimLaneBot:
    return SimLaneBot()


async def read_all_pages(actor: Any, result: simcord.InteractionResult) -> list[str]:
    """Every line of every page, turning pages with the Next button."""
    assert result.ephemeral and result.response is not None
    message = result.response
    pages = [str(message.embeds[0].description)]
    page, of = map(int, PAGE.findall(str(message.embeds[0].footer.text))[0])
    assert of >= 2  # long enough to be paged
    while page < of:
        turned = await actor.click(message, label="Next")
        message = turned.response or message
        pages.append(str(message.embeds[0].description))
        page, of = map(int, PAGE.findall(str(message.embeds[0].footer.text))[0])
    assert len(pages) == of
    return "\n".join(pages).splitlines()


def commands_in(lines: list[str]) -> dict[str, str]:
    """Command name -> its marks ('🔒', '🏠'), for every command line."""
    out = {}
    for line in lines:
        match = LINE.match(line)
        if match:
            out[match.group(1)] = "".join(m.strip() for m in match.groups()[1:] if m)
    return out


async def test_help_lists_every_command_by_feature_and_marks_admin_ones(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    member = guild.add_member(simcord_env.create_user("newcomer"))
    lines = await read_all_pages(member, await member.slash(channel, "help"))
    listed = commands_in(lines)
    # Every command Discord shows the member is in the help, and nothing else.
    assert set(listed) == set(member.available_commands(channel))
    assert len(listed) > 20
    for admin in ("results channel", "results limit", "results untrack-by", "raceguide follow", "forcerelease"):
        assert listed[admin] == "🔒", admin
    for anyone in ("track", "untrack", "claim", "schedule", "help", "raceguide next", "reminders"):
        assert listed[anyone] == "", anyone
    headings = [line for line in lines if line.startswith("**")]
    assert headings[:6] == [
        "**Car numbers**",
        "**Club events**",
        "**Club members**",
        "**Event reminders**",
        "**Race results**",
        "**Schedule and race guide**",
    ]
    assert lines.index("**Race results**") < lines.index("`/track` — Post this driver's finished races in this server")


async def test_help_in_a_direct_message_marks_server_only_commands(simcord_env):
    user = simcord_env.create_user("stranger")
    result = await user.slash("help")
    lines = await read_all_pages(user, result)
    assert lines[0] == "In a direct message, commands marked 🏠 work only in a server."
    listed = commands_in(lines)
    assert "🏠" in listed["track"] and "🏠" in listed["claim"] and "🏠" in listed["results status"]
    assert listed["schedule"] == "" and listed["help"] == ""
    assert reply_text(result) == ""  # all of it is in the embed
