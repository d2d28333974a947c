"""The card's buttons under a hostile user: a button carrying another server's event id, a member SimLane does not
know, and the `/event` commands from another server. Each is answered privately and changes nothing."""

from __future__ import annotations

import discord
import simcord

from simlane.clubs.models import ClubMember
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.events._card import card_view
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.events.models import EventClass, Signup, SignupStatus

from . import test_card_e2e as e2e

pytestmark = e2e.pytestmark
clock, simcord_bot, server = e2e.clock, e2e.simcord_bot, e2e.server  # the card tests' bot, clock and server


async def test_a_button_with_another_servers_event_id_reaches_nothing(
    server: e2e.Server, simcord_bot: SimLaneBot, simcord_env: simcord.Env
):
    s = server
    event = await e2e.create_event(s, capacity=5)
    gt = await EventClass.objects.aget(event=event)
    await e2e.drain(simcord_bot)
    assert "You are in" in await e2e.sign_up(s.ana, e2e.card(s.results), {"class": [str(gt.id)]})

    # Another server with SimLane: a message there carries buttons naming the first server's event.
    other = simcord_env.create_guild(name="Rival League", owner=simcord_env.create_user("rival-owner"))
    lobby = other.create_text_channel("lobby")
    mallory = other.add_member(simcord_env.create_user("mallory"))
    managers = other.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    rival_admin = other.add_member(simcord_env.create_user("rival-admin"), roles=[managers])
    await simcord_env.settle()
    channel = simcord_bot.get_channel(lobby.id)
    assert isinstance(channel, discord.TextChannel)
    view = card_view(event.id, signups_open=True, withdraw_open=True)
    assert view is not None
    crafted = await channel.send("not a card", view=view)
    await simcord_env.settle()

    out = await mallory.click(crafted, label="Sign up / change")
    assert out.modal is None and out.ephemeral and "No such event" in reply_text(out)
    out = await mallory.click(crafted, label="Withdraw")
    assert out.ephemeral and "not signed up" in reply_text(out)
    # An admin of the other server is no admin of the first server's events.
    out = await rival_admin.slash(lobby, "event cancel", event=str(event.id))
    assert out.ephemeral and "No such event" in reply_text(out)
    out = await mallory.slash(lobby, "event info", event=str(event.id))
    assert out.ephemeral and "Thursday GT3" not in reply_text(out)
    assert handled_errors(simcord_env) == ["EventNotFound", "EventNotFound"]  # answered by the one error handler

    signups = [(s.member.discord_user_id, s.status) async for s in Signup.objects.select_related("member")]
    assert signups == [(s.ana.id, SignupStatus.CONFIRMED)]
    assert (await type(event).objects.aget(id=event.id)).status == "open"


async def test_a_member_simlane_does_not_know_is_told_at_the_press_not_after_filling_the_form(
    server: e2e.Server, simcord_bot: SimLaneBot
):
    s = server
    await e2e.create_event(s, capacity=5)
    await e2e.drain(simcord_bot)
    await ClubMember.objects.filter(discord_user_id=s.ana.id).aupdate(active=False)  # left and came back, unsynced

    out = await s.ana.click(e2e.card(s.results), label="Sign up / change")
    assert out.modal is None  # no form to fill in for nothing
    assert out.ephemeral and "does not know you as a member" in reply_text(out)
    assert not await Signup.objects.aexists()
    # Nor does the event picker show the club's events to someone `/event list` refuses.
    assert await s.ana.autocomplete(s.chat, "event info", "event", "thurs") == []
    assert len(await s.ben.autocomplete(s.chat, "event info", "event", "thurs")) == 1
