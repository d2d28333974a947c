"""iRacing proposals end to end: a sync proposes accounts from nicknames; members and admins confirm or reject;
conflicts are listed, never guessed; a confirmation makes an unverified link only."""

from __future__ import annotations

import pytest
import simcord

from simlane.clubs import aio
from simlane.clubs.models import Club, MemberProposal, ProposalStatus
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.racenumbers.models import MemberLink

from .conftest import Server, World

pytestmark = pytest.mark.django_db(transaction=True)


async def conflicts(guild_id: int) -> list[tuple[str, list[int], int | None]]:
    club = await Club.objects.aget(guild_id=guild_id)
    found = await aio.member_conflicts(club)
    return [(c.kind, sorted(p.member.discord_user_id for p in c.proposals), c.cust_id) for c in found]


async def test_proposals_confirmations_and_conflicts(world: World, simcord_env):
    s = Server(simcord_env)
    ana = s.join("ana", nick="[APX] Ana Chen #23")  # one iRacing driver: 100080
    omer = s.join("omer", nick="ÖMER SMITH 🏁")  # 100094
    twin_a = s.join("kenji1", nick="Kenji Chen")  # two members, one account (100108)
    twin_b = s.join("kenji2", global_name="KENJI CHEN")
    mika = s.join("mika", nick="Mika Lefèvre")  # two iRacing drivers
    gone = s.join("dmitri", nick="Dmitri Costa")  # 100087, leaves after the sync
    s.join("snail", nick="TurboSnail")

    result = await s.admin.slash(s.chat, "members sync")
    assert "3 proposals to confirm, 2 conflicts" in reply_text(result)  # Ana, Ömer, Dmitri; the twins, Mika
    s.guild.remove_member(gone)
    await simcord_env.settle()
    assert await conflicts(s.guild.id) == [
        ("same_account", sorted([twin_a.id, twin_b.id]), 100108),
        ("several_drivers", [mika.id], None),
        ("member_left", [gone.id], 100087),
    ]
    mine = await ana.slash(s.chat, "members me")
    assert "Ana Chen (`100080`)" in reply_text(mine) and mine.ephemeral

    # A member confirms their own proposal: a link, never a verified one.
    assert "not verified yet" in reply_text(await ana.slash(s.chat, "members confirm"))
    link = await MemberLink.objects.aget(discord_user_id=ana.id)
    assert (link.cust_id, link.verified, link.guild_id) == (100080, False, s.guild.id)

    # Nobody decides someone else's proposal but an admin; a shared account needs an admin; a member who left
    # cannot be confirmed; several drivers need the customer id.
    other = await ana.slash(s.chat, "members confirm", member=omer)
    assert "Only an admin" in reply_text(other)
    shared = await twin_a.slash(s.chat, "members confirm")
    assert "also proposed for another member" in reply_text(shared)
    gone_user = simcord.UserHandle(simcord_env, simcord_env.backend.get_user(gone.id))  # no longer a member
    left = await s.admin.slash(s.chat, "members confirm", member=gone_user)
    assert "has left the server" in reply_text(left)
    several = await mika.slash(s.chat, "members confirm")
    assert "matches 2 iRacing drivers" in reply_text(several)
    assert handled_errors(simcord_env) == ["ProposalError"] * 4
    assert await MemberLink.objects.acount() == 1

    # The admin settles the shared account; the other twin's proposal closes; Mika picks one of the two.
    assert "`100108`" in reply_text(await s.admin.slash(s.chat, "members confirm", member=twin_b))
    assert "`104077`" in reply_text(await mika.slash(s.chat, "members confirm", driver=104077))
    assert await conflicts(s.guild.id) == [("member_left", [gone.id], 100087)]
    links = {u: (c, v) async for u, c, v in MemberLink.objects.values_list("discord_user_id", "cust_id", "verified")}
    assert links == {ana.id: (100080, False), twin_b.id: (100108, False), mika.id: (104077, False)}

    # Omer rejects; a second sync proposes nothing new for the rejected nickname, and changes nothing else.
    assert "Rejected" in reply_text(await omer.slash(s.chat, "members reject"))
    before = [(p.pk, p.status) async for p in MemberProposal.objects.order_by("pk")]
    again = await s.admin.slash(s.chat, "members sync")
    assert "0 added, 0 updated, 0 left" in reply_text(again)
    assert [(p.pk, p.status) async for p in MemberProposal.objects.order_by("pk")] == before
    assert await MemberProposal.objects.filter(status=ProposalStatus.OPEN).acount() == 1  # the member who left


async def test_a_nickname_change_replaces_the_proposal(world: World, simcord_env):
    s = Server(simcord_env)
    ana = s.join("ana", nick="Ana Chen")
    await s.admin.slash(s.chat, "members sync")
    s.set_nick(ana, "Dmitri Costa")
    await simcord_env.settle()
    await s.admin.slash(s.chat, "members sync")
    statuses = [(p.cust_id, p.status) async for p in MemberProposal.objects.order_by("pk")]
    assert statuses == [(100080, ProposalStatus.SUPERSEDED), (100087, ProposalStatus.OPEN)]
