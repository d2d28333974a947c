"""Configuration never strands a claim: /setup changes that affect claims are listed and applied only on the
admin's confirmation; /release and /forcerelease find what is actually held; pools are case-insensitive, unique,
validated in every command and chosen for the roster sync; errors stay private."""

from __future__ import annotations

import discord
import pytest

from simlane.racenumbers.models import AuditAction, AuditEntry, NumberClaim, NumberConfig

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


async def _held() -> dict[int, str]:
    return {u: n async for u, n in NumberClaim.objects.filter(active=True).values_list("discord_user_id", "number")}


async def test_narrowing_the_range_and_merging_07_and_7_is_confirmed_and_strands_nothing(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, c, _ = s.members
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=999)
    for member, number in ((a, "500"), (b, "07"), (c, "7")):
        assert "is yours" in text(await member.slash(s.chat, "claim", number=number))

    asked = await s.admin.slash(s.chat, "setup", max_number=99, leading_zeros_distinct=False)
    assert asked.ephemeral and asked.response is not None
    said = text(asked)
    assert f"#500 of <@{a.id}>: kept as is (outside 1–99" in said
    assert f"#7 of <@{c.id}>: released (#07 and #7 become the same number; <@{b.id}> was first)" in said
    config = await NumberConfig.objects.aget()
    assert (config.max_number, config.leading_zeros_distinct) == (999, True)  # nothing saved before confirming
    assert await _held() == {a.id: "500", b.id: "07", c.id: "7"}

    applied = await s.admin.click(asked.response, label="Apply")
    assert "Saved; 1 claim(s) released" in text(applied) and "Numbers: 1–99" in text(applied)
    assert await _held() == {a.id: "500", b.id: "07"}
    assert await NumberClaim.objects.filter(active=True, number="07").values_list("number_key", flat=True).aget() == "7"
    released = await AuditEntry.objects.filter(action=AuditAction.FORCE_RELEASE).aget()
    assert (released.actor_id, released.subject_id, released.number) == (s.admin.id, c.id, "7")

    roster = await a.slash(s.chat, "roster")
    assert "**#500** — <@" in str(roster.response.embeds[0].description)  # type: ignore[union-attr]
    assert "🚩 outside 1–99" in str(roster.response.embeds[0].description)  # type: ignore[union-attr]
    assert "taken by" in text(await c.slash(s.chat, "claim", number="07"))  # one number now, b holds it
    # What members hold is always found, whatever today's rules say.
    assert "You released #500" in text(await a.slash(s.chat, "release", number="500"))
    assert "#5 is yours" in text(await a.slash(s.chat, "claim", number="5"))
    assert "free again" in text(await s.admin.slash(s.chat, "forcerelease", number="7"))  # b's "07"
    assert await _held() == {a.id: "5"}
    assert handled(simcord_env) == ["NumbersError"]


async def test_removing_a_pool_lists_its_claims_and_cancel_changes_nothing(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    await s.admin.slash(s.chat, "setup", pools="GT3, GTP")
    await a.slash(s.chat, "claim", number="7", pool="GT3")
    await b.slash(s.chat, "claim", number="7", pool="GTP")
    asked = await s.admin.slash(s.chat, "setup", pools="GTP")
    assert f"#7 [GT3] of <@{a.id}>: released (its pool was removed)" in text(asked)
    assert asked.response is not None
    cancelled = await s.admin.click(asked.response, label="Cancel")
    assert "Cancelled. Nothing was changed." in text(cancelled)
    assert (await NumberConfig.objects.aget()).pools == ["GT3", "GTP"] and await _held() == {a.id: "7", b.id: "7"}
    # Renaming a pool in another case keeps its claims.
    assert "Saved." in text(await s.admin.slash(s.chat, "setup", pools="gt3, GTP"))
    assert {p async for p in NumberClaim.objects.values_list("pool", flat=True)} == {"gt3", "GTP"}


@pytest.mark.parametrize(
    ("pools", "says"),
    [
        (", ".join(f"P{i}" for i in range(26)), "At most 25 pools"),
        ("GT3, " + "x" * 51, "at most 50 characters"),
    ],
    ids=["26-pools", "long-name"],
)
async def test_pool_lists_discord_cannot_offer_are_refused_not_cut(league: League, simcord_env, pools, says):
    s = Server(simcord_env)
    refused = await s.admin.slash(s.chat, "setup", pools=pools, max_number=50)
    assert refused.ephemeral and says in text(refused)
    assert handled(simcord_env) == ["NumberInputError"]
    assert not await NumberConfig.objects.aexists()


async def test_pools_are_one_spelling_and_checked_by_every_command(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    saved = await s.admin.slash(s.chat, "setup", min_number=1, max_number=20, pools="GT3, gt3 , GTP")
    assert "Pools: GT3, GTP" in text(saved)
    await a.slash(s.chat, "claim", number="7", pool="gt3")
    check = await b.slash(s.chat, "check", number="7", pool="Gt3")
    assert f"<@{a.id}>" in text(check)
    free = await b.slash(s.chat, "available", pool="gt3")
    assert free.response is not None and free.response.embeds[0].title == "Available numbers (19)"
    roster = await b.slash(s.chat, "roster", pool="gtp")
    assert roster.response is not None and roster.response.embeds[0].title == "Car numbers (0)"
    for command, options in (
        ("check", {"number": "7", "pool": "F1"}),
        ("available", {"pool": "F1"}),
        ("roster", {"pool": "F1"}),
        ("check", {"number": "7"}),
    ):
        reply = await b.slash(s.chat, command, **options)
        assert reply.ephemeral and "GT3, GTP" in text(reply), command
        assert "free" not in text(reply)
    assert handled(simcord_env) == ["NumberInputError"] * 4


async def test_sync_reconciles_the_pools_an_admin_chose_and_says_when_none_is(league: League, simcord_env):
    s = Server(simcord_env)
    member = s.members[0]
    cust, number = next((c, n) for c, n in league.sim.world.league_by_id[7001].roster if n)
    await s.admin.slash(s.chat, "setup", league_id=7001, pools="GT3, GTP")
    await member.slash(s.chat, "claim", number=number, pool="GT3")
    await member.slash(s.chat, "link", driver=str(cust))
    await s.admin.slash(s.chat, "verify", member=member)

    none_chosen = await s.admin.slash(s.chat, "sync")
    assert none_chosen.ephemeral and "none is chosen" in text(none_chosen) and "/setup sync_pools:" in text(none_chosen)
    assert not [m for m in s.chat.history() if not m.flags.ephemeral]  # nothing posted for everyone
    assert handled(simcord_env) == ["NumbersError"]

    chosen = await s.admin.slash(s.chat, "setup", sync_pools="gt3")
    assert "Roster sync reconciles: GT3" in text(chosen)
    result = await s.admin.slash(s.chat, "sync")
    embed = (result.followups or [result.response])[0].embeds[0]  # type: ignore[list-item]
    assert {str(f.name): str(f.value) for f in embed.fields}["✅ Synced"] == "1"
    unknown = await s.admin.slash(s.chat, "setup", sync_pools="F1")
    assert "No pool called “F1”" in text(unknown)
    assert handled(simcord_env) == ["NumberInputError"]


async def test_sync_without_a_league_answers_only_the_admin(league: League, simcord_env):
    s = Server(simcord_env)
    result = await s.admin.slash(s.chat, "sync")
    assert result.ephemeral and "No iRacing league is set" in text(result)
    assert handled(simcord_env) == ["NumbersError"]


async def test_an_announcement_channel_the_bot_cannot_post_in_is_refused(league: League, simcord_env):
    s = Server(simcord_env)
    me = s.guild.me
    assert me is not None
    closed = s.guild.create_text_channel("closed", overwrites={me: discord.PermissionOverwrite(send_messages=False)})
    hidden = s.guild.create_text_channel("hidden", overwrites={me: discord.PermissionOverwrite(view_channel=False)})
    refused = await s.admin.slash(s.chat, "setup", announcements=closed, max_number=50)
    assert refused.ephemeral and "I need Send Messages" in text(refused)
    assert "I need View Channel" in text(await s.admin.slash(s.chat, "setup", announcements=hidden))
    assert handled(simcord_env) == ["AnnouncementChannelError", "AnnouncementChannelError"]
    assert not await NumberConfig.objects.aexists()
    assert "Announcements: <#" in text(await s.admin.slash(s.chat, "setup", announcements=s.news))
