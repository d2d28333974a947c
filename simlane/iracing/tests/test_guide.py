"""The race guide is stored even before its seasons and tracks are known, and linked once they are."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from simlane.iracing.client import IRacingClient
from simlane.iracing.client.models import RaceGuide
from simlane.iracing.models import RaceGuideSession
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.guide import store_guide, sync_race_guide
from simlane.iracing.sync.reference import sync_reference
from simlane.iracing.sync.seasons import sync_seasons

NOW = datetime(2026, 3, 10, 14, 7, tzinfo=UTC)
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_recorded_race_guide_is_stored_with_no_season_or_track_known(fixtures_dir):
    guide = RaceGuide.model_validate(json.loads((fixtures_dir / "season_race_guide.json").read_text()))
    unique = len({(s.season_id, s.start_time) for s in guide.sessions})
    assert store_guide(guide.sessions) == unique > 300
    assert RaceGuideSession.objects.count() == unique
    assert store_guide(guide.sessions) == unique  # idempotent: the same rows, no duplicates
    assert RaceGuideSession.objects.count() == unique


async def test_guide_sessions_link_to_their_race_week_once_the_schedule_is_synced():
    sim = Simulator(SimulatorConfig(members=50), clock=SimClock(start=NOW.timestamp(), speed=0))
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=sim.clock) as client:
            first = await sync_race_guide(client, now=NOW)
            assert first > 0 and not await RaceGuideSession.objects.filter(race_week__isnull=False).aexists()
            await sync_reference(client)
            await sync_seasons(client)
            await sync_race_guide(client, now=NOW)
    finally:
        await sim.stop()
    assert await RaceGuideSession.objects.filter(race_week__isnull=True).acount() == 0
    assert await RaceGuideSession.objects.acount() == first
