"""Buttons that can no longer act still answer, privately: a trade whose numbers changed, and another member
paging someone's roster."""

from __future__ import annotations

import pytest

from simlane.racenumbers.models import NumberClaim, NumberTrade, TradeStatus

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


async def test_accepting_a_trade_after_the_numbers_changed_gets_a_private_answer(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99)
    await a.slash(s.chat, "claim", number="7")
    await b.slash(s.chat, "claim", number="8")
    offer = await a.slash(s.chat, "trade", member=b)
    assert offer.response is not None
    await a.slash(s.chat, "release", number="7")
    late = await b.click(offer.response, label="Accept swap")
    (answer,) = late.followups
    assert answer.ephemeral and "numbers changed since the offer" in answer.content
    assert (await NumberTrade.objects.aget()).status == TradeStatus.CANCELLED
    buttons = [c for row in offer.response.components for c in row["components"]]
    assert [(b["label"], b.get("disabled")) for b in buttons] == [("Accept swap", True), ("Decline", True)]
    assert [n async for n in NumberClaim.objects.filter(active=True).values_list("number", flat=True)] == ["8"]
    assert handled(simcord_env) == []  # answered by the button itself, nothing left to the error handler


async def test_another_member_paging_someones_roster_gets_a_private_answer(league: League, simcord_env):
    s = Server(simcord_env)
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=60)
    for i in range(25):
        await NumberClaim.objects.acreate(
            guild_id=s.guild.id, number=str(i + 1), number_key=str(i + 1), discord_user_id=1000 + i, discord_name="d"
        )
    roster = await s.members[0].slash(s.chat, "roster")
    assert roster.response is not None
    other = await s.members[1].click(roster.response, label="Next")
    assert other.ephemeral and "run the command yourself" in text(other)
    assert roster.response.embeds[0].footer.text == "Page 1 of 2"
