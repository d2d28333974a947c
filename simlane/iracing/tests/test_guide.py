"""The race guide is stored even before its seasons and tracks are known, and linked once they are."""

from __future__ import annotations

import json

import pytest

from simlane.conftest import SIM_NOW
from simlane.iracing.client.models import RaceGuide
from simlane.iracing.models import RaceGuideSession
from simlane.iracing.sync.guide import store_guide
from simlane.iracing.sync.jobs import sync_race_guide, sync_reference, sync_seasons

NOW = SIM_NOW
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_recorded_race_guide_is_stored_with_no_season_or_track_known(fixtures_dir):
    guide = RaceGuide.model_validate(json.loads((fixtures_dir / "season_race_guide.json").read_text()))
    unique = len({(s.season_id, s.start_time) for s in guide.sessions})
    assert store_guide(guide.sessions) == unique > 300
    assert RaceGuideSession.objects.count() == unique
    assert store_guide(guide.sessions) == unique  # idempotent: the same rows, no duplicates
    assert RaceGuideSession.objects.count() == unique


async def test_guide_sessions_link_to_their_race_week_once_the_schedule_is_synced(stopped_sim):
    _sim, client = stopped_sim
    first = await sync_race_guide(client, now=NOW)
    assert first > 0 and not await RaceGuideSession.objects.filter(race_week__isnull=False).aexists()
    await sync_reference(client)
    await sync_seasons(client)
    await sync_race_guide(client, now=NOW)
    assert await RaceGuideSession.objects.filter(race_week__isnull=True).acount() == 0
    assert await RaceGuideSession.objects.acount() == first
