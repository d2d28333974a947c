"""Paged lists (LinePages) answer every press: their buttons are disabled when the view times out, and a press on a
list sent before a restart is answered privately."""

from __future__ import annotations

import pytest
import simcord

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.pages import TIMEOUT
from simlane.racenumbers.models import NumberClaim

from .conftest import League, Server, handled

pytestmark = pytest.mark.django_db(transaction=True)


def buttons(message: simcord.ResponseMessage) -> list[tuple[str, bool]]:
    return [(c["label"], bool(c.get("disabled"))) for row in message.components for c in row["components"]]


async def roster_of_two_pages(s: Server) -> simcord.ResponseMessage:
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=60)
    for i in range(25):
        await NumberClaim.objects.acreate(
            guild_id=s.guild.id, number=str(i + 1), number_key=str(i + 1), discord_user_id=1000 + i, discord_name="d"
        )
    roster = await s.members[0].slash(s.chat, "roster")
    assert roster.response is not None
    return roster.response


async def test_the_buttons_are_disabled_when_the_pages_time_out(league: League, simcord_env):
    s = Server(simcord_env)
    roster = await roster_of_two_pages(s)
    turned = await s.members[0].click(roster, label="Next")
    assert turned.response is not None and turned.response.embeds[0].footer.text == "Page 2 of 2"
    assert buttons(roster) == [("Previous", False), ("Next", True)]

    await simcord_env.advance_time(TIMEOUT - 10)  # the timeout counts from the last press
    assert buttons(roster) == [("Previous", False), ("Next", True)]
    await simcord_env.advance_time(20)
    assert buttons(roster) == [("Previous", True), ("Next", True)]
    assert roster.embeds[0].footer.text == "Page 2 of 2"  # the page shown stays
    assert handled(simcord_env) == []


async def test_a_press_on_a_list_sent_before_a_restart_gets_a_private_answer(league: League, simcord_env):
    s = Server(simcord_env)
    roster = await roster_of_two_pages(s)
    await simcord_env.restart_bot(SimLaneBot(iracing=league.bot.iracing, now=league.bot.now))

    stale = await s.members[0].click(roster, label="Next")
    (answer,) = stale.followups
    assert answer.ephemeral and "This list has expired: run the command again" in answer.content
    assert buttons(roster) == [("Previous", True), ("Next", True)]
    assert roster.embeds[0].footer.text == "Page 1 of 2"

    fresh = await s.members[0].slash(s.chat, "roster")  # the command itself works as before
    assert fresh.response is not None
    turned = await s.members[0].click(fresh.response, label="Next")
    assert not turned.followups and turned.response is not None
    assert turned.response.embeds[0].footer.text == "Page 2 of 2"
    assert handled(simcord_env) == []
