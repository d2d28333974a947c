"""End to end in simcord against the simulator: setup, claims, conflicts, releases, a swap, rights, the roster
sync against the simulated league roster, the CSV and the audit log."""

from __future__ import annotations

import csv
import io

import pytest

from simlane.racenumbers.models import AuditAction, AuditEntry, ClaimStatus, MemberLink, NumberClaim

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


async def test_claims_conflicts_releases_swap_rights_and_audit(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, c, _ = s.members
    setup = await s.admin.slash(s.chat, "setup", league_id=7001, min_number=1, max_number=99, announcements=s.news)
    assert "Saved." in text(setup) and "Numbers: 1–99" in text(setup)

    assert "#7 is yours" in text(await a.slash(s.chat, "claim", number="7"))
    taken = await b.slash(s.chat, "claim", number="7")
    assert taken.ephemeral and f"#7 is taken by <@{a.id}>" in text(taken)
    assert "#07 is yours" in text(await b.slash(s.chat, "claim", number="07"))  # iRacing: 07 ≠ 7
    out_of_range = await c.slash(s.chat, "claim", number="100")
    assert "outside this server's range, 1–99" in text(out_of_range)
    assert handled(simcord_env) == ["NumbersError", "NumberInputError"]

    refused = await c.slash(s.chat, "release", number="7")
    assert "is <@" in text(refused) and "/forcerelease" in text(refused)
    not_admin = await c.slash(s.chat, "forcerelease", number="7")
    assert "You need Manage Server" in text(not_admin)
    assert handled(simcord_env) == ["NumbersError", "ConfigPermissionError"]
    assert await NumberClaim.objects.filter(active=True).acount() == 2

    offer = await a.slash(s.chat, "trade", member=b)
    assert offer.response is not None and "offers #7 for your #07" in offer.response.content
    await b.click(offer.response, label="Accept swap")
    held = {u: n async for u, n in NumberClaim.objects.filter(active=True).values_list("discord_user_id", "number")}
    assert held == {a.id: "07", b.id: "7"}

    assert "free again" in text(await s.admin.slash(s.chat, "forcerelease", number="7", reason="left the league"))
    assert "#12 is yours" in text(await c.slash(s.chat, "claim", number="12"))
    assert "You released #12" in text(await c.slash(s.chat, "release", number="12"))

    actions = [a async for a in AuditEntry.objects.order_by("id").values_list("action", flat=True)]
    assert actions == [
        AuditAction.CONFIG,
        AuditAction.CLAIM,
        AuditAction.CLAIM,
        AuditAction.TRADE,
        AuditAction.TRADE,
        AuditAction.FORCE_RELEASE,
        AuditAction.CLAIM,
        AuditAction.RELEASE,
    ]
    log = await s.admin.slash(s.chat, "auditlog")
    assert log.response is not None and log.response.embeds[0].title == f"Audit log ({len(actions)})"
    news = [m.content for m in s.news.history()]
    assert any("claimed #7" in n for n in news) and any("Swapped" in n for n in news)
    sent = [
        e.json for e in simcord_env.http_requests if e.method == "POST" and e.path == f"/channels/{s.news.id}/messages"
    ]
    assert sent and all(
        body["allowed_mentions"]["parse"] == [] and not body["allowed_mentions"].get("users") for body in sent
    )  # announcements never ping


async def test_sync_reports_exactly_the_differences_in_the_league_roster(league: League, simcord_env):
    s = Server(simcord_env)
    roster = league.sim.world.league_by_id[7001].roster
    numbered = [(cust, number) for cust, number in roster if number]
    (m_ok, (ok_cust, ok_no)), (m_bad, (bad_cust, bad_no)), (m_out, _) = zip(s.members[:3], numbered[:3], strict=True)
    await s.admin.slash(s.chat, "setup", league_id=7001)
    wrong = str((int(bad_no) + 50) % 1000)
    await m_ok.slash(s.chat, "claim", number=ok_no)
    await m_bad.slash(s.chat, "claim", number=wrong)
    await m_out.slash(s.chat, "claim", number="998")
    await m_ok.slash(s.chat, "link", driver=str(ok_cust))
    await m_bad.slash(s.chat, "link", driver=str(bad_cust))
    assert not await MemberLink.objects.filter(verified=True).aexists()  # never verified without proof
    await s.admin.slash(s.chat, "verify", member=m_ok)

    result = await s.admin.slash(s.chat, "sync")
    embed = (result.followups or [result.response])[0].embeds[0]  # type: ignore[list-item]
    fields = {str(f.name).rsplit(" (", 1)[0]: str(f.value) for f in embed.fields}
    assert fields["✅ Synced"] == "1"
    assert f"claimed #{wrong}, iRacing has #{bad_no}" in fields["⚠️ Different number in iRacing (change it there)"]
    assert "#998" in fields["❔ Not in the league roster"]
    unclaimed_expected = len(numbered) - 1  # every roster number but the one claimed and synced
    assert f"({unclaimed_expected})" in next(str(f.name) for f in embed.fields if str(f.name).startswith("🔓"))
    statuses = {u: st async for u, st in NumberClaim.objects.values_list("discord_user_id", "status")}
    assert statuses == {
        m_ok.id: ClaimStatus.SYNCED,
        m_bad.id: ClaimStatus.MISMATCH,
        m_out.id: ClaimStatus.NOT_IN_ROSTER,
    }
    verified = [u async for u in MemberLink.objects.filter(verified=True).values_list("discord_user_id", flat=True)]
    assert verified == [m_ok.id]
    status = await m_out.slash(s.chat, "syncstatus")
    assert status.response is not None and status.response.embeds[0].title == "iRacing league roster sync"


async def test_a_league_the_account_cannot_see_or_maintenance_changes_nothing(league: League, simcord_env):
    s = Server(simcord_env)
    await s.admin.slash(s.chat, "setup", league_id=7999)
    await s.members[0].slash(s.chat, "claim", number="5")
    forbidden = await s.admin.slash(s.chat, "sync")
    assert "refused league 7999 (403)" in text(forbidden)
    await s.admin.slash(s.chat, "setup", league_id=7001)
    league.sim.faults.add("maintenance", 5)
    down = await s.admin.slash(s.chat, "sync")
    assert "maintenance" in text(down)
    assert handled(simcord_env) == ["NumbersError", "MaintenanceError"]
    assert [st async for st in NumberClaim.objects.values_list("status", flat=True)] == [ClaimStatus.CLAIMED]


async def test_export_is_exact_utf8_csv_without_formula_injection(league: League, simcord_env):
    s = Server(simcord_env)
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99)
    await s.members[0].slash(s.chat, "claim", number="7")
    await NumberClaim.objects.filter(number="7").aupdate(discord_name='=HYPERLINK("http://x")')
    await s.members[1].slash(s.chat, "claim", number="42")
    await NumberClaim.objects.filter(number="42").aupdate(discord_name="Jürgen 🏎️")
    result = await s.members[2].slash(s.chat, "export")
    assert result.response is not None
    data = await result.response.attachments[0].read()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["pool", "number", "status", "iracing_number", "discord_user_id", "discord_name"]
    assert [r[1] for r in rows[1:]] == ["7", "42"]
    assert rows[1][5] == '\'=HYPERLINK("http://x")' and rows[2][5] == "Jürgen 🏎️"


async def test_roster_and_available_page_through_large_lists(league: League, simcord_env):
    s = Server(simcord_env)
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=60)
    for i in range(25):
        await NumberClaim.objects.acreate(
            guild_id=s.guild.id,
            number=str(i + 1),
            number_key=str(i + 1),
            discord_user_id=1000 + i,
            discord_name=f"d{i}",
        )
    roster = await s.members[0].slash(s.chat, "roster")
    assert roster.response is not None and roster.response.embeds[0].footer.text == "Page 1 of 2"
    turned = await s.members[0].click(roster.response, label="Next")
    page2 = (turned.response or roster.response).embeds[0]
    assert page2.footer.text == "Page 2 of 2" and "#25" in str(page2.description)
    free = await s.members[0].slash(s.chat, "available")
    assert free.response is not None and free.response.embeds[0].title == "Available numbers (35)"


async def test_mynumbers_check_and_config(league: League, simcord_env):
    s = Server(simcord_env)
    a, b, *_ = s.members
    await s.admin.slash(s.chat, "setup", league_id=7001, min_number=1, max_number=99, pools="GT3, GTP")
    await a.slash(s.chat, "claim", number="7", pool="GT3")
    await a.slash(s.chat, "release", number="7", pool="GT3")
    await b.slash(s.chat, "claim", number="7", pool="GT3")
    await b.slash(s.chat, "claim", number="7", pool="GTP")
    mine = text(await b.slash(s.chat, "mynumbers"))
    assert "[GT3] **#7**" in mine and "[GTP] **#7**" in mine and "not linked" in mine
    check = text(await a.slash(s.chat, "check", number="7", pool="GT3"))
    assert f"<@{b.id}>" in check and f"Before: <@{a.id}>" in check
    free = text(await a.slash(s.chat, "check", number="8", pool="GT3"))
    assert "#8 is free" in free
    config = text(await a.slash(s.chat, "config"))
    assert "League: 7001" in config and "Pools: GT3, GTP" in config and "07 and 7: different numbers" in config
