"""Celery tasks of the results search (with a broker; ``simlane run`` without one runs the poller in-process).

Beat sends :func:`poll_results` every ``RESULTS_POLL_SECONDS``; it sends one :func:`poll_partition` per partition
and any worker runs each. Workers never call Discord: what they find is claimed in the ledger, and the bot process
holding the server's shard posts it (docs/deployment.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings

from simlane.core import clock
from simlane.iracing.services import run_with_clients

from .poller import PollPolicy
from .poller.partitioned import partition_cycle
from .poller.strategy import Subscriptions

# A cycle searches at most what the budget allows in one interval, so it ends well within this limit (5 min unless
# set otherwise; the chaos benchmark shortens it so killed workers' partitions come back sooner).
PARTITION_TIME_LIMIT = settings.RESULTS_PARTITION_SECONDS
# The lease outlives the hard limit: a killed worker's partition is free again this long after it took it, never
# while its task may still run.
PARTITION_HOLD = timedelta(seconds=PARTITION_TIME_LIMIT + 30)
SUBSCRIPTIONS = Subscriptions()  # one per worker process, reloaded only when tracking changes


@shared_task(time_limit=60, soft_time_limit=50)
def poll_results() -> int:
    """Send one search task per partition. A task not started within the interval is dropped (``expires``): the
    next interval sends another, and the drivers' due times live in the database, so nothing is lost."""
    count = settings.RESULTS_PARTITIONS
    for index in range(count):
        poll_partition.apply_async((index,), expires=settings.RESULTS_POLL_SECONDS)
    return count


@shared_task(time_limit=PARTITION_TIME_LIMIT, soft_time_limit=PARTITION_TIME_LIMIT * 9 // 10)
def poll_partition(index: int) -> dict[str, Any]:
    """One poller cycle on partition ``index``; nothing when another worker is searching it."""
    count = settings.RESULTS_PARTITIONS
    # Beat sends a tick every RESULTS_POLL_SECONDS of real time; on a benchmark's fast clock that is more time.
    policy = PollPolicy(interval=timedelta(seconds=settings.RESULTS_POLL_SECONDS * clock.speed()))
    report = run_with_clients(
        lambda clients: partition_cycle(
            clients,
            index=index,
            count=count,
            now=clock.now,
            policy=policy,
            hold=PARTITION_HOLD * clock.speed(),
            subscriptions=SUBSCRIPTIONS,
        )
    )
    if report is None:
        return {"partition": index, "busy": True}
    return {"partition": index, "searched": report.searched, "claims": report.claims, "errors": report.errors}
