"""The simulated world's shortcuts give exactly what the long way gives: same draws, same search rows."""

from __future__ import annotations

from datetime import UTC, datetime

from simlane.iracing.simulator.catalog import SERIES
from simlane.iracing.simulator.routes import DataService
from simlane.iracing.simulator.world import World, iso, mix, mix_from, mix_state

NOW = datetime(2026, 3, 3, tzinfo=UTC).timestamp()


def test_a_draw_continued_from_a_shared_prefix_is_the_draw_itself():
    values = [(1, 100_007, 20_500, 3, 2), (2, -300_001, 7), (1, 2**70, 5), (9,)]
    for draw in values:
        for cut in range(len(draw) + 1):
            assert mix_from(mix_state(*draw[:cut]), *draw[cut:]) == mix(*draw)
    world = World(1, 50)
    assert all(world.member_state(m.cust_id) == mix_state(1, m.cust_id) for m in world.members)
    assert world.member_state(1) == mix_state(1, 1)  # not a member of this world: computed, not looked up


def test_a_drivers_search_rows_are_those_of_each_full_result():
    world = World(1, 600)
    service = DataService(world, world.members[0].cust_id)
    payloads = service.payloads
    checked = team = 0
    for member in world.members[:120]:
        params = {
            "cust_id": str(member.cust_id),
            "finish_range_begin": iso(NOW - 7 * 86400),
            "finish_range_end": iso(NOW),
        }
        rows = service.handle("results/search_series", params, NOW).payload
        expected = [
            payloads.search_row(payloads.result(row["subsession_id"]), member.cust_id)  # type: ignore[arg-type]
            for row in rows
        ]
        assert rows == expected
        assert [list(r) for r in rows] == [list(r) for r in expected]  # the same fields in the same order
        assert all(r["cust_id"] == member.cust_id for r in rows)
        checked += len(rows)
        team += sum(SERIES[i].team for i in world.series_of(member)) * len(rows)
    assert checked > 100 and team > 0  # solo and team races both compared


def test_a_session_under_the_official_minimum_is_unofficial_and_rates_nobody():
    world = World(3, 600, official_min=6)
    service = DataService(world, world.members[0].cust_id, unchanged_share=0.0, member_staleness=0.0)
    small = big = None
    for index in range(len(SERIES)):
        for session in world.sessions_between(index, NOW, NOW + 86400):
            entries = world.entries(session)
            if 0 < entries < 6 and small is None and not SERIES[index].team:
                small = session
            if entries >= 6 and big is None and not SERIES[index].team:
                big = session
    assert small is not None and big is not None
    for session, official in ((small, False), (big, True)):
        sub = session.subsession_id(0)
        result = service.handle("results/get", {"subsession_id": str(sub)}, float(session.end) + 60)
        assert result.payload["official_session"] is official
        member = world.splits(session)[0][0]
        # Right after the race (no other race of theirs can have ended since): rated only if it was official.
        assert (service.members.ratings.newest_race(member, float(session.end) + 60) == sub) is official


def test_the_race_guide_counts_registrations_so_far_and_the_final_entry_list_from_the_start():
    world = World(1, 4000)
    service = DataService(world, world.members[0].cust_id)
    session = next(s for s in world.sessions_between(0, NOW + 7200, NOW + 10800) if world.entries(s) >= 8)

    def listed(now: float) -> int:
        guide = service.handle("season/race_guide", {"from": iso(now), "include_end_after_from": "true"}, now)
        start = iso(session.start)
        rows = [s for s in guide.payload["sessions"] if s["series_id"] == 1001 and s["start_time"] == start]
        return int(rows[0]["entry_count"])

    final = world.entries(session)
    assert listed(session.start - 2 * 3600) == 0
    assert 0 < listed(session.start - 1800) < final
    assert listed(session.start + 60) == final
