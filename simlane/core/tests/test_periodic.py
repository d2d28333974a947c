"""The periodic jobs table drives Celery beat and simlane run's in-process scheduler alike (on a stopped clock)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from celery import beat

from config.celery_app import app
from config.periodic import BEAT_JOBS, PERIODIC_JOBS
from simlane.core.periodic import PeriodicJob, run_periodic
from simlane.core.tasks import health_check

START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
DAYS = 2


def beat_schedule() -> dict[str, dict[str, object]]:
    app.finalize()
    return dict(app.conf.beat_schedule)


def test_beat_schedule_is_the_table_entry_for_entry():
    schedule = beat_schedule()
    assert sorted(schedule) == sorted(job.name for job in BEAT_JOBS)
    for job in BEAT_JOBS:
        entry = schedule[job.name]
        assert entry["task"] == job.task.name
        assert entry["schedule"] == job.schedule()
    # The car-number auto-sync was once missing from beat.
    assert schedule["Car-number roster auto-sync"]["task"] == "simlane.racenumbers.tasks.auto_sync_numbers"
    # The results search runs on workers with a broker; simlane run without one runs its own poller instead.
    assert schedule["Results search"]["task"] == "simlane.results.tasks.poll_results"
    assert "Results search" not in {job.name for job in PERIODIC_JOBS}


class RecordingScheduler(beat.Scheduler):
    """Celery beat's own scheduler, sending nothing: it records what it would send."""

    sent: list[tuple[str, datetime]]
    producer = None  # type: ignore[assignment]  # no broker connection

    def apply_entry(self, entry: beat.ScheduleEntry, producer: object = None) -> None:
        self.sent.append((str(entry.name), entry.default_now()))


def fires_of_beat(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, datetime]]:
    """Run Celery beat over the configured schedule on a simulated clock, from START for DAYS days."""
    clock = [START]
    monkeypatch.setattr(app, "now", lambda: clock[0])
    scheduler = RecordingScheduler(app, lazy=True)
    scheduler.sent = []
    scheduler.update_from_dict(beat_schedule())
    while clock[0] < START + timedelta(days=DAYS):
        sent = len(scheduler.sent)
        delay = scheduler.tick()
        if len(scheduler.sent) == sent:
            # Real time moves on between ticks; beat's waits are 10 ms short, so at least that passes.
            clock[0] += timedelta(seconds=max(delay, 0.01))
    return scheduler.sent


def fires_of_simlane_run() -> list[tuple[str, datetime]]:
    clock = [START]
    fired: list[tuple[str, datetime]] = []

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)  # let the jobs just started run
        clock[0] += timedelta(seconds=seconds)
        if clock[0] >= START + timedelta(days=DAYS):
            raise asyncio.CancelledError

    async def run(job: PeriodicJob) -> None:
        fired.append((job.name, clock[0]))

    async def go() -> None:
        with pytest.raises(asyncio.CancelledError):
            await run_periodic(PERIODIC_JOBS, now=lambda: clock[0], sleep=sleep, run=run)

    asyncio.run(go())
    return fired


def _to_second(fires: list[tuple[str, datetime]]) -> list[tuple[str, datetime]]:
    # beat subtracts 10 ms of drift from its waits; both fire within the same second.
    return sorted((name, (at + timedelta(milliseconds=500)).replace(microsecond=0)) for name, at in fires)


def test_simlane_run_fires_the_same_jobs_at_the_same_times_as_celery_beat(monkeypatch):
    fired_by_beat = _to_second(fires_of_beat(monkeypatch))
    # The results search is beat's alone: simlane run without a broker runs its own poller loop instead.
    search = [at for name, at in fired_by_beat if name == "Results search"]
    assert search[:2] == [datetime(2026, 3, 3, 2, 2, tzinfo=UTC), datetime(2026, 3, 3, 2, 4, tzinfo=UTC)]
    by_beat = [(name, at) for name, at in fired_by_beat if name != "Results search"]
    by_run = _to_second(fires_of_simlane_run())
    assert by_run == by_beat
    # And what both do, written out: two nightly runs at 03:30, the race guide every 30 min from 02:30, ...
    nightly = [at for name, at in by_run if name == "iRacing nightly sync"]
    assert nightly == [datetime(2026, 3, 3, 3, 30, tzinfo=UTC), datetime(2026, 3, 4, 3, 30, tzinfo=UTC)]
    guide = [at for name, at in by_run if name == "iRacing race guide"]
    assert guide[:2] == [datetime(2026, 3, 3, 2, 30, tzinfo=UTC), datetime(2026, 3, 3, 3, 0, tzinfo=UTC)]
    assert len(guide) == DAYS * 48 - 1  # the first is 30 min after the start, the last 30 min before the end
    forecasts = [at for name, at in by_run if name == "iRacing weather forecasts"]
    assert forecasts[:2] == [datetime(2026, 3, 3, 8, 0, tzinfo=UTC), datetime(2026, 3, 3, 14, 0, tzinfo=UTC)]
    assert sum(name == "Car-number roster auto-sync" for name, _ in by_run) == DAYS * 24 * 60 - 1


async def test_a_failing_job_is_logged_and_runs_again_when_next_due(caplog):
    clock = [START]
    runs: list[datetime] = []
    job = PeriodicJob("flaky", health_check, every=timedelta(minutes=30))

    async def run(_job: PeriodicJob) -> None:
        runs.append(clock[0])
        if len(runs) == 1:
            raise RuntimeError("iRacing had a bad minute")

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)  # let the started job run
        clock[0] += timedelta(seconds=seconds)
        if clock[0] > START + timedelta(hours=2):
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await run_periodic([job], now=lambda: clock[0], sleep=sleep, run=run)
    assert runs == [START + timedelta(minutes=m) for m in (30, 60, 90, 120)]
    assert "flaky failed; it runs again when next due" in caplog.text


def test_a_job_has_exactly_one_schedule():
    with pytest.raises(ValueError, match="exactly one"):
        PeriodicJob("both", health_check, every=timedelta(minutes=1), at=START.time())
    with pytest.raises(ValueError, match="exactly one"):
        PeriodicJob("neither", health_check)
