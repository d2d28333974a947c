"""Swap offers in Discord: their buttons answer after a restart, after 24 hours and when pressed twice at once, and
every press that cannot act is answered privately with the buttons retired."""

from __future__ import annotations

from typing import Any

import pytest
import simcord
from simcord import interactions as simcord_interactions
from simcord.backend import serializers

from simlane.discord_bot.bot import SimLaneBot
from simlane.racenumbers.models import NumberClaim, NumberTrade, TradeStatus

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


async def held() -> dict[int, str]:
    return {u: n async for u, n in NumberClaim.objects.filter(active=True).values_list("discord_user_id", "number")}


def buttons(message: simcord.ResponseMessage) -> list[tuple[str, bool]]:
    return [(c["label"], bool(c.get("disabled"))) for row in message.components for c in row["components"]]


async def offer_between(s: Server) -> simcord.ResponseMessage:
    a, b, *_ = s.members
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99, announcements=s.news)
    await a.slash(s.chat, "claim", number="7")
    await b.slash(s.chat, "claim", number="8")
    offer = await a.slash(s.chat, "trade", member=b)
    assert offer.response is not None and "offers #7 for your #8" in offer.response.content
    return offer.response


async def test_an_offer_made_before_a_restart_is_accepted_after_it(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, c, _ = s.members
    offer = await offer_between(s)
    await simcord_env.restart_bot(SimLaneBot(iracing=league.bot.iracing, now=league.bot.now))

    stranger = await c.click(offer, label="Accept swap")
    assert stranger.ephemeral and "This offer is not for you" in text(stranger)
    accepted = await b.click(offer, label="Accept swap")
    assert accepted.response is not None and "Swapped" in accepted.response.content
    assert await held() == {a.id: "8", b.id: "7"}
    assert buttons(offer) == []  # answered: the buttons are gone
    assert any("Swapped" in m.content for m in s.news.history())
    assert handled(simcord_env) == []


async def test_an_offer_not_answered_in_24_hours_expires(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    offer = await offer_between(s)
    league.sim.clock.advance(24 * 3600)  # the bot's clock: a day later

    late = await b.click(offer, label="Accept swap")
    (answer,) = late.followups
    assert answer.ephemeral and "This offer expired" in answer.content
    assert (await NumberTrade.objects.aget()).status == TradeStatus.EXPIRED
    assert buttons(offer) == [("Accept swap", True), ("Decline", True)]
    assert await held() == {a.id: "7", b.id: "8"}


async def press_at_once(env: simcord.Env, member: Any, message: simcord.ResponseMessage, label: str, times: int):
    """Deliver several presses of one button before the bot answers any (a double click, two open clients).

    simcord's ``click`` waits for each answer, so this builds the same payloads it does and settles once."""
    backend = env.backend
    stored = backend.get_message(message.channel_id, message.id)
    (button,) = [c for row in stored.components for c in row["components"] if c.get("label") == label]
    records = []
    for _ in range(times):
        record, payload = simcord_interactions.base_payload(
            backend,
            type=3,
            channel_id=message.channel_id,
            guild_id=member.guild.id,
            user_id=member.id,
            data={"custom_id": button["custom_id"], "component_type": 2},
        )
        payload["message"] = dict(serializers.message_payload(backend, stored))
        record.source_message_id = stored.id
        backend.emit("INTERACTION_CREATE", payload)
        records.append(record)
    await env.settle()
    return [simcord.InteractionResult(env, r) for r in records]


async def test_two_presses_of_accept_at_once_swap_once_and_answer_both(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    offer = await offer_between(s)

    first, second = await press_at_once(simcord_env, b, offer, "Accept swap", 2)
    assert first.acknowledged and second.acknowledged  # neither press is left "This interaction failed"
    answers = sorted(text(first).split("\n") + text(second).split("\n"))
    assert [line for line in answers if "already answered" in line] == [
        "This offer is no longer open: it was already answered, the numbers were swapped."
    ]
    assert await held() == {a.id: "8", b.id: "7"}
    assert (await NumberTrade.objects.aget()).status == TradeStatus.DONE
    assert sum("Swapped" in m.content for m in s.news.history()) == 1
