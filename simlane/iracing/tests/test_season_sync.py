"""Seasons, race weeks and session times: idempotent, cached, session times that match the race guide."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache

from simlane.conftest import SIM_NOW
from simlane.iracing.client import IRacingClient
from simlane.iracing.models import RaceWeek, Season, SessionTime, Track
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.catalog import SERIES
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.jobs import sync_reference, sync_season_schedule, sync_seasons

pytestmark = pytest.mark.django_db(transaction=True)
NOW = SIM_NOW


async def test_seasons_sync_once_then_write_nothing_then_cost_no_call(stopped_sim):
    sim, client = stopped_sim
    await sync_reference(client)
    first = await sync_seasons(client)
    assert first.seasons.created == len(SERIES) and await Season.objects.acount() == len(SERIES)
    weeks = await RaceWeek.objects.acount()
    assert weeks == first.race_weeks.created and weeks >= 12 * len(SERIES)
    assert first.session_times == await SessionTime.objects.acount() > 0
    assert await RaceWeek.objects.filter(track__isnull=True).acount() == 0  # every week points at its track
    week = await RaceWeek.objects.afirst()
    assert week is not None and week.car_restrictions and "weight_penalty_kg" in week.car_restrictions[0]

    again = await sync_seasons(client, refresh=True)
    assert again.seasons.written == 0 and again.schedules_skipped == len(SERIES) and again.session_times == 0
    calls = sim.counters["data"]
    cached = await sync_seasons(client)
    assert cached.api_calls == 0 and cached.cache_hits == 1 and sim.counters["data"] == calls


async def test_session_times_match_the_race_guide_of_the_same_week(stopped_sim):
    _sim, client = stopped_sim
    await sync_reference(client)
    await sync_seasons(client)
    guide = await client.race_guide(start_from=NOW)
    assert guide.sessions
    for s in guide.sessions:
        stored = await SessionTime.objects.filter(
            race_week__season__season_id=s.season_id, start_time=s.start_time
        ).aexists()
        assert stored, f"{s.series_id} at {s.start_time} is in the race guide but not generated"
    # And nothing extra: within the next three hours, generated = race guide, series by series.
    generated = {
        (sid, t)
        async for sid, t in SessionTime.objects.filter(
            start_time__gte=NOW, start_time__lt=NOW + timedelta(hours=3)
        ).values_list("race_week__season__iracing_series_id", "start_time")
    }
    assert generated == {(s.series_id, s.start_time) for s in guide.sessions if s.start_time >= NOW}


async def test_a_schedule_naming_an_unknown_track_syncs_the_tracks_instead_of_failing(stopped_sim):
    _sim, client = stopped_sim
    await sync_reference(client)
    await Track.objects.all().adelete()
    summary = await sync_seasons(client)
    assert summary.tracks_synced > 0
    assert await RaceWeek.objects.filter(track__isnull=True).acount() == 0


async def test_a_recorded_past_schedule_is_stored_with_its_session_times(fixtures_dir):
    sim = Simulator(SimulatorConfig(replay_dir=fixtures_dir))
    await sim.start()
    cache.clear()
    recorded = json.loads((fixtures_dir / "series_season_schedule.json").read_text())
    try:
        async with IRacingClient(demo_client_config(sim.base_url)) as client:
            summary = await sync_season_schedule(client, recorded["season_id"])
    finally:
        await sim.stop()
    assert summary.race_weeks.created == len(recorded["schedules"])
    first = recorded["schedules"][0]
    week = await RaceWeek.objects.aget(race_week_num=first["race_week_num"])
    d = first["race_time_descriptors"][0]
    per_day = 24 * 60 // d["repeat_minutes"] if d.get("repeating") else len(d.get("session_times", []))
    assert await SessionTime.objects.filter(race_week=week).acount() == per_day * len(d.get("day_offset") or [0])
    earliest = await SessionTime.objects.filter(race_week=week).order_by("start_time").afirst()
    assert earliest is not None and earliest.start_time.strftime("%H:%M:%S") == d["first_session_time"]
