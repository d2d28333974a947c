"""The Celery tasks, eager (no broker in tests): real work against the simulator, bounded retries, the schedule."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry

from simlane.iracing.client import MaintenanceError
from simlane.iracing.models import Car, RaceWeek, Season
from simlane.iracing.tasks import nightly_sync, sync_past_seasons_task, sync_reference_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_nightly_sync_stores_reference_data_and_current_seasons(simulator_settings):
    result = nightly_sync.delay().get()
    assert result["reference"]["created"] > 0 and result["seasons"]["seasons_created"] == 6
    assert Car.objects.count() == 12 and RaceWeek.objects.count() >= 72


def test_an_iracing_failure_asks_for_a_retry_in_60_s_three_times_then_gives_up(simulator_settings):
    simulator_settings.faults.add("maintenance", 10)
    with pytest.raises(Retry) as retry:
        sync_reference_task.delay()
    assert retry.value.when == 60  # seconds, as the policy says
    with pytest.raises(Retry):
        sync_reference_task.apply(retries=2, throw=True)
    with pytest.raises(MaintenanceError):  # the third retry failed too: no fourth
        sync_reference_task.apply(retries=3, throw=True)
    assert Car.objects.count() == 0
    simulator_settings.faults.clear()  # maintenance over: the next run does the work
    sync_reference_task.delay()
    assert Car.objects.count() == 12


def test_past_seasons_are_stored_and_each_missing_schedule_is_fetched(simulator_settings):
    result = sync_past_seasons_task.delay(1001).get()
    assert result["seasons_without_schedule"] == 4
    assert Season.objects.filter(iracing_series_id=1001).count() == 4
    assert not Season.objects.filter(schedule_hash="").exists()  # every schedule task ran (eagerly)
    assert sync_past_seasons_task.delay(1001).get()["seasons_without_schedule"] == 0


def test_the_nightly_sync_is_scheduled_once():
    from config.celery_app import app

    app.finalize()
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == nightly_sync.name]
    assert len(entries) == 1


def test_simlane_run_waits_for_the_same_time_of_day_as_celery_beat():
    import asyncio
    from datetime import UTC, datetime, timedelta

    from celery.schedules import crontab

    from config.celery_app import app
    from config.periodic import PERIODIC_JOBS
    from simlane.core.periodic import run_periodic

    app.finalize()
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == nightly_sync.name]
    start = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    assert entry["schedule"] == crontab(hour=3, minute=30)  # beat: every day at 03:30 UTC
    (job,) = [j for j in PERIODIC_JOBS if j.task is nightly_sync]
    clock, fired = [start], []

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)  # let the job just started run
        clock[0] += timedelta(seconds=seconds)
        if clock[0] > start + timedelta(days=2):
            raise asyncio.CancelledError

    async def run(_job: object) -> None:
        fired.append(clock[0])

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(run_periodic([job], now=lambda: clock[0], sleep=sleep, run=run))
    assert fired == [datetime(2026, 3, 3, 3, 30, tzinfo=UTC), datetime(2026, 3, 4, 3, 30, tzinfo=UTC)]
