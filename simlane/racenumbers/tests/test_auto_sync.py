"""The periodic auto-sync: due servers are synced, others are left alone, one failure does not stop the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simlane.racenumbers.league import auto_sync_due
from simlane.racenumbers.models import NumberConfig

from .conftest import League

pytestmark = pytest.mark.django_db(transaction=True)


async def test_auto_sync_runs_only_where_due_and_survives_a_forbidden_league(league: League):
    now = datetime(2026, 3, 3, 12, tzinfo=UTC)
    await NumberConfig.objects.acreate(guild_id=1, league_id=7001, auto_sync_minutes=30)
    await NumberConfig.objects.acreate(guild_id=2, league_id=7999, auto_sync_minutes=30)  # answers 403
    await NumberConfig.objects.acreate(guild_id=3, league_id=7002, auto_sync_minutes=0)  # off
    await NumberConfig.objects.acreate(guild_id=4, league_id=7002, auto_sync_minutes=30, last_sync_at=now)
    client = league.bot.iracing
    assert client is not None
    done = await auto_sync_due(client=client, now=now)
    assert set(done) == {1, 2}
    assert "403" in str(done[2])
    assert (await NumberConfig.objects.aget(guild_id=1)).last_sync_at == now
    assert await auto_sync_due(client=client, now=now + timedelta(minutes=10)) == {2: done[2]}
