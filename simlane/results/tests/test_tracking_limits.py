"""One member cannot fill a server's tracking list, and admins (either kind) can clean it up.

The limits are checked in the service under a lock, so they hold for concurrent calls (threads, each with its own
database connection: SQLite here, PostgreSQL in CI); the commands are driven end to end in simcord.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connections

from simlane.results import services
from simlane.results.models import GuildResultsConfig, TrackedDriver
from simlane.results.services import ResultsError, tracked_driver_add, tracked_per_member_set

from .conftest import ResultsWorld, handled_errors, reply_text
from .test_e2e import Server

G = 4242
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db(transaction=True)


def track_concurrently(calls: list[tuple[int, int]]) -> list[str]:
    """Run ``tracked_driver_add`` for every (member, cust_id) at the same instant; what each call answered."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def add(member: int, cust_id: int) -> None:
        barrier.wait()
        try:
            _row, created = tracked_driver_add(
                guild_id=G, cust_id=cust_id, display_name=f"Driver {cust_id}", added_by=member, now=NOW
            )
            outcomes.append("tracked" if created else "already")
        except ResultsError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_tracks_by_one_member_stop_at_the_per_member_limit():
    tracked_per_member_set(guild_id=G, limit=3)
    outcomes = track_concurrently([(7, 1000 + i) for i in range(10)])
    assert outcomes.count("tracked") == 3
    assert sum("the most one member may" in o for o in outcomes) == 7
    assert TrackedDriver.objects.filter(guild_id=G, added_by=7).count() == 3


def test_concurrent_tracks_by_many_members_stop_at_the_server_cap(monkeypatch):
    monkeypatch.setattr(services, "MAX_TRACKED_PER_GUILD", 4)
    outcomes = track_concurrently([(100 + i, 2000 + i) for i in range(10)])
    assert outcomes.count("tracked") == 4
    assert TrackedDriver.objects.filter(guild_id=G).count() == 4


def test_a_second_server_has_its_own_count():
    tracked_per_member_set(guild_id=G, limit=1)
    tracked_driver_add(guild_id=G, cust_id=1, display_name="A", added_by=7, now=NOW)
    with pytest.raises(ResultsError, match="You already track 1 drivers here"):
        tracked_driver_add(guild_id=G, cust_id=2, display_name="B", added_by=7, now=NOW)
    _row, created = tracked_driver_add(guild_id=G + 1, cust_id=2, display_name="B", added_by=7, now=NOW)
    assert created
    # An admin is limited only by the server's cap.
    _row, created = tracked_driver_add(
        guild_id=G, cust_id=3, display_name="C", added_by=7, now=NOW, member_limited=False
    )
    assert created


async def test_a_member_is_stopped_at_the_limit_admins_choose(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    a, b, c = results_world.active_members(3)
    set_limit = await one.admin.slash(one.chat, "results limit", per_member=2)
    assert set_limit.ephemeral and "up to 2 drivers" in reply_text(set_limit)
    for m in (a, b):
        assert "Tracking" in reply_text(await one.member.slash(one.chat, "track", driver=str(m.cust_id)))
    refused = await one.member.slash(one.chat, "track", driver=str(c.cust_id))
    assert refused.ephemeral and "You already track 2 drivers here" in reply_text(refused)
    assert handled_errors(simcord_env) == ["ResultsError"]
    assert await TrackedDriver.objects.filter(added_by=one.member.id).acount() == 2
    # The limit itself is an admin setting.
    denied = await one.member.slash(one.chat, "results limit", per_member=500)
    assert denied.ephemeral and "You need Manage Server" in reply_text(denied)
    handled_errors(simcord_env)
    assert (await GuildResultsConfig.objects.aget(guild_id=one.guild.id)).max_tracked_per_member == 2
    # Admins are not held to it.
    assert "Tracking" in reply_text(await one.admin.slash(one.chat, "track", driver=str(c.cust_id)))


async def test_the_delegated_admin_role_untracks_anyones_drivers_one_or_many(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    stewards = one.guild.create_role("Stewards")
    steward = one.guild.add_member(simcord_env.create_user("steward"), roles=[stewards])
    await one.admin.slash(one.chat, "results adminrole", role=stewards)
    spammer = one.guild.add_member(simcord_env.create_user("spammer"))
    for i in range(6):
        await TrackedDriver.objects.acreate(
            guild_id=one.guild.id, cust_id=500 + i, display_name=f"D{i}", added_by=spammer.id
        )
    await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=900, display_name="Kept", added_by=one.member.id)

    # A member without rights cannot untrack someone else's drivers, and a refused list removes nothing.
    refused = await one.member.slash(one.chat, "untrack", driver="900, 500")
    assert refused.ephemeral and "someone else tracked `500`. Nothing was untracked." in reply_text(refused)
    assert await TrackedDriver.objects.acount() == 7
    # The steward (no Manage Server) untracks several of them at once ...
    several = await steward.slash(one.chat, "untrack", driver="500, 501 502")
    assert several.ephemeral and "Stopped tracking D0 (`500`), D1 (`501`), D2 (`502`)." in reply_text(several)
    # ... and the rest of what the spammer added in one go; nobody else's drivers go with them.
    rest = await steward.slash(one.chat, "results untrack-by", member=spammer)
    assert rest.ephemeral and "D3 (`503`), D4 (`504`), D5 (`505`)" in reply_text(rest)
    assert [r.cust_id async for r in TrackedDriver.objects.all()] == [900]
    assert "has not tracked any driver" in reply_text(
        await steward.slash(one.chat, "results untrack-by", member=spammer)
    )
    denied = await one.member.slash(one.chat, "results untrack-by", member=steward)
    assert denied.ephemeral and "You need Manage Server" in reply_text(denied)
    assert handled_errors(simcord_env) == ["ResultsError", "ConfigPermissionError"]


async def test_untracking_a_driver_that_is_not_tracked_changes_nothing(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=900, display_name="Kept", added_by=one.admin.id)
    result = await one.admin.slash(one.chat, "untrack", driver="900 901")
    assert result.ephemeral and "Not tracked in this server: `901`. Nothing was untracked." in reply_text(result)
    assert handled_errors(simcord_env) == ["ResultsError"]
    assert await TrackedDriver.objects.acount() == 1


def test_the_per_member_limit_is_kept_within_the_server_cap():
    with pytest.raises(ResultsError, match="between 1 and 500"):
        tracked_per_member_set(guild_id=G, limit=0)
    assert not GuildResultsConfig.objects.exists()
