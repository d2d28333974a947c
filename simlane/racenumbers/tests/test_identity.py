"""iRacing identity can't be squatted: the public league roster never verifies a link, pending links never block
the account's owner, only an admin's audited approval verifies, and admins can unlink anyone."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from simlane.racenumbers.models import AuditAction, AuditEntry, ClaimStatus, MemberLink, NumberClaim
from simlane.racenumbers.services import NumbersError, member_link, member_link_verify

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_stranger_cannot_take_over_an_account_read_off_the_public_roster(league: League, simcord_env):
    s = Server(simcord_env)
    owner, squatter, *_ = s.members
    cust, number = next((c, n) for c, n in league.sim.world.league_by_id[7001].roster if n)
    await s.admin.slash(s.chat, "setup", league_id=7001)

    # The squatter claims the number the roster shows for someone else's account and links that account.
    assert "is yours" in text(await squatter.slash(s.chat, "claim", number=number))
    linked = text(await squatter.slash(s.chat, "link", driver=str(cust)))
    assert "pending" in linked and "/verify" in linked
    sync = await s.admin.slash(s.chat, "sync")
    embed = (sync.followups or [sync.response])[0].embeds[0]  # type: ignore[list-item]
    fields = {str(f.name).split(" (", 1)[0]: str(f.value) for f in embed.fields}
    assert fields["✅ Synced"] == "0"  # a roster match is a hint for the admin, not proof
    assert f"<@{squatter.id}> #{number}" in fields["🔎 Roster shows the linked account with this number"]
    assert not await MemberLink.objects.filter(verified=True).aexists()
    assert await NumberClaim.objects.filter(discord_user_id=squatter.id).aget() is not None
    assert [st async for st in NumberClaim.objects.values_list("status", flat=True)] == [ClaimStatus.CLAIMED]

    # The real owner is not blocked by the pending link.
    mine = text(await owner.slash(s.chat, "link", driver=str(cust)))
    assert "pending" in mine and "already" not in mine
    assert await MemberLink.objects.filter(cust_id=cust).acount() == 2

    # Members can't verify themselves; an admin can, and it is audited.
    refused = await squatter.slash(s.chat, "verify", member=squatter)
    assert "You need Manage Server" in text(refused) and refused.ephemeral
    assert handled(simcord_env) == ["ConfigPermissionError"]
    ok = await s.admin.slash(s.chat, "verify", member=owner)
    assert f"<@{owner.id}> is verified" in text(ok) and ok.ephemeral
    verified = [u async for u in MemberLink.objects.filter(verified=True).values_list("discord_user_id", flat=True)]
    assert verified == [owner.id]
    entry = await AuditEntry.objects.filter(action=AuditAction.VERIFY).aget()
    assert (entry.actor_id, entry.subject_id) == (s.admin.id, owner.id)

    # Now the account is exclusive: the squatter's pending link can't be verified and can't be made again.
    twice = await s.admin.slash(s.chat, "verify", member=squatter)
    assert f"already verified for <@{owner.id}>" in text(twice)
    again = await squatter.slash(s.chat, "link", driver=str(cust))
    assert f"verified for <@{owner.id}>" in text(again)
    assert handled(simcord_env) == ["NumbersError", "NumbersError"]

    # Admins can unlink anyone, audited; members can't.
    assert "You need Manage Server" in text(await squatter.slash(s.chat, "unlink", member=owner))
    assert handled(simcord_env) == ["ConfigPermissionError"]
    gone = await s.admin.slash(s.chat, "unlink", member=squatter, reason="not their account")
    assert "no longer linked" in text(gone)
    assert not await MemberLink.objects.filter(discord_user_id=squatter.id).aexists()
    unlink = await AuditEntry.objects.filter(action=AuditAction.UNLINK).aget()
    assert (unlink.actor_id, unlink.subject_id) == (s.admin.id, squatter.id)
    assert "not their account" in unlink.details


def test_the_database_allows_one_verified_link_per_account_and_many_pending_ones():
    g, cust = 1000, 555
    for user in (1, 2, 3):
        member_link(guild_id=g, user_id=user, cust_id=cust, iracing_name="Ann Owner")
    member_link_verify(guild_id=g, user_id=2, cust_id=cust, method="admin approval", actor_id=9)
    with pytest.raises(NumbersError, match="already verified for <@2>"):
        member_link_verify(guild_id=g, user_id=3, cust_id=cust, method="admin approval", actor_id=9)
    with pytest.raises(IntegrityError):  # even a write that skips the service can't verify a second one
        MemberLink.objects.filter(discord_user_id=3).update(verified=True)
    assert list(MemberLink.objects.filter(verified=True).values_list("discord_user_id", flat=True)) == [2]
