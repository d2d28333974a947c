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
