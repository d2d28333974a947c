"""A member who leaves the server: their numbers are flagged (default), released or kept as the server chose,
audited and announced without pings."""

from __future__ import annotations

import pytest

from simlane.racenumbers.models import AuditAction, AuditEntry, NumberClaim

from .conftest import League, Server, text

pytestmark = pytest.mark.django_db(transaction=True)


async def test_by_default_a_leavers_number_is_flagged_for_an_admin(league: League, simcord_env):
    s = Server(simcord_env)
    leaver, stays, *_ = s.members
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99, announcements=s.news)
    await leaver.slash(s.chat, "claim", number="7")
    await stays.slash(s.chat, "claim", number="8")
    s.guild.remove_member(leaver)
    await simcord_env.settle()

    claim = await NumberClaim.objects.aget(discord_user_id=leaver.id)
    assert claim.active and claim.member_left_at is not None
    assert (await NumberClaim.objects.aget(discord_user_id=stays.id)).member_left_at is None
    roster = await stays.slash(s.chat, "roster")
    assert "**#7** — <@" in str(roster.response.embeds[0].description)  # type: ignore[union-attr]
    assert "🚪 left the server" in str(roster.response.embeds[0].description)  # type: ignore[union-attr]
    entry = await AuditEntry.objects.aget(action=AuditAction.LEAVE)
    assert (entry.actor_id, entry.subject_id, entry.number, entry.details) == (None, leaver.id, "7", "kept, flagged")
    news = [m.content for m in s.news.history()]
    assert any(f"<@{leaver.id}> left the server holding #7: flagged" in n for n in news)
    announced = [e.json for e in simcord_env.http_requests if e.path == f"/channels/{s.news.id}/messages"]
    assert all(body["allowed_mentions"]["parse"] == [] for body in announced)  # announced, nobody pinged
    assert "Members who leave: keep and flag them" in text(await s.admin.slash(s.chat, "config"))


@pytest.mark.parametrize(("rule", "active"), [("release", False), ("keep", True)])
async def test_a_server_can_release_or_keep_a_leavers_numbers(league: League, simcord_env, rule, active):
    s = Server(simcord_env)
    leaver = s.members[0]
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99, on_leave=rule, announcements=s.news)
    await leaver.slash(s.chat, "claim", number="7")
    s.guild.remove_member(leaver)
    await simcord_env.settle()
    claim = await NumberClaim.objects.aget(discord_user_id=leaver.id)
    assert (claim.active, claim.member_left_at) == (active, None)
    assert await AuditEntry.objects.filter(action=AuditAction.LEAVE, subject_id=leaver.id).acount() == 1
    freed = any("#7 is free again" in m.content for m in s.news.history())
    assert freed is (rule == "release")
