"""Periodic jobs: one table (``config/periodic.py``) that Celery beat and ``simlane run`` both schedule from.

With a broker, Celery beat sends the jobs to workers and ``simlane run`` runs none of them. Without one,
``simlane run`` runs them in-process with :func:`run_periodic`, deciding when each is due with the very schedule
objects beat uses (``celery.schedules``), so both fire the same jobs at the same times.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab, schedule

logger = logging.getLogger(__name__)
Now = Callable[[], datetime]


@dataclass(frozen=True)
class PeriodicJob:
    """A task run every ``every``, or daily at ``at`` (UTC); exactly one of the two."""

    name: str
    task: Task  # type: ignore[type-arg]
    every: timedelta | None = None
    at: time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"{self.name}: give exactly one of every= and at=")

    def schedule(self, nowfun: Now | None = None) -> schedule | crontab:
        """The Celery schedule of this job; ``nowfun`` injects a clock (beat itself uses the app's)."""
        if self.at is not None:
            return crontab(hour=self.at.hour, minute=self.at.minute, nowfun=nowfun)
        assert self.every is not None
        return schedule(self.every, nowfun=nowfun)


def add_to_beat(app: Celery, jobs: Iterable[PeriodicJob]) -> None:
    """Give Celery beat every job of the table."""
    for job in jobs:
        app.add_periodic_task(job.schedule(), job.task.s(), name=job.name)


async def run_task_in_thread(job: PeriodicJob) -> None:
    """Run the job's task body in a worker thread, as a Celery worker would (it opens its own iRacing client)."""
    await asyncio.to_thread(job.task)


async def run_periodic(
    jobs: Iterable[PeriodicJob],
    *,
    now: Now,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    run: Callable[[PeriodicJob], Awaitable[None]] = run_task_in_thread,
) -> None:
    """Run each job whenever beat would, until cancelled.

    Like beat, a job's clock starts when the scheduler starts (an every-30-minutes job first runs 30 minutes later)
    and a due job is started without waiting for the others. A job still running when it is due again is skipped
    with a warning rather than run twice at once; a failure is logged and the job runs again when next due.
    """
    table = [(job, job.schedule(nowfun=now)) for job in jobs]
    started = now()
    last_run: dict[str, datetime] = {job.name: started for job, _ in table}
    running: dict[str, asyncio.Task[None]] = {}
    try:
        while True:
            waits: list[float] = []
            for job, when in table:
                due, wait = when.is_due(last_run[job.name])
                waits.append(wait)
                if not due:
                    continue
                last_run[job.name] = now()
                if job.name in running and not running[job.name].done():
                    logger.warning("%s is still running; skipped this time", job.name)
                    continue
                running[job.name] = asyncio.ensure_future(_guarded(job, run))
            await sleep(max(0.0, min(waits)))
    finally:
        for task in running.values():
            task.cancel()


async def _guarded(job: PeriodicJob, run: Callable[[PeriodicJob], Awaitable[Any]]) -> None:
    try:
        await run(job)
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("%s failed; it runs again when next due", job.name)
