"""Replay mode serves recorded responses through the same indirections as the live service."""

from __future__ import annotations

import json
import shutil


async def test_recorded_responses_replayed_through_links_and_chunks(fixtures_dir, tmp_path, sim_factory, make_client):
    for source, target in {
        "result.json": "results.get.json",
        "result_search_series.json": "results.search_series.json",
        "league_roster.json": "league.roster.json",
        "constants_event_types.json": "constants.event_types.json",
    }.items():
        shutil.copy(fixtures_dir / source, tmp_path / target)
    sim = sim_factory(replay_dir=tmp_path, chunk_size=2)
    await sim.start()
    try:
        async with make_client(sim) as client:
            result = await client.results_get(1)
            rows = await client.search_series(season_year=2026, season_quarter=1)
            roster = await client.league_roster(1)
            assert await client.get("constants/event_types")
    finally:
        await sim.stop()
    recorded = json.loads((fixtures_dir / "result.json").read_text(encoding="utf-8"))
    assert result.subsession_id == recorded["subsession_id"]
    assert len(rows) == 3 and len(roster.roster) > 0
    # three rows in chunks of two: two chunk downloads, plus the links of results/get and the roster
    assert sim.counters["download"] == 4
