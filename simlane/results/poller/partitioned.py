"""One poller cycle on one partition of the tracked drivers: the results search as a Celery worker runs it.

``simlane run`` without a broker runs one :class:`ResultsPoller` over every driver. With a broker, Celery beat sends
one task per partition each poll interval and any worker runs it: the worker leases the partition, rebuilds the
poller from the database (the drivers' poll states and the partition's snapshot of the poller's memory), runs one
cycle and hands the partition back. The partitions share the account's rate budget, so each plans for its share.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from simlane.iracing.client import IRacingClient

from .. import aio
from .policy import PollPolicy
from .strategy import CycleReport, ResultsPoller, Subscriptions

logger = logging.getLogger(__name__)


async def partition_cycle(
    clients: Sequence[IRacingClient],
    *,
    index: int,
    count: int,
    now: Callable[[], datetime],
    policy: PollPolicy,
    hold: timedelta,
    subscriptions: Subscriptions,
) -> CycleReport | None:
    """Search partition ``index`` of ``count`` once; None when another worker holds it (it is being searched)."""
    lease = await aio.partition_take(index=index, count=count, now=now(), hold=hold)
    if lease is None:
        return None
    share = replace(policy, budget_per_minute=policy.budget_per_minute / count)
    poller = ResultsPoller(
        clients[0], now=now, policy=share, accounts=clients[1:], partition=(index, count), subscriptions=subscriptions
    )
    poller.restore(lease.snapshot)
    try:
        report = await poller.cycle()
    finally:
        # Handed back even after a failure (each finished search is saved already): the next cycle carries on at
        # once instead of waiting for the lease to run out.
        if not await aio.partition_release(lease=lease, snapshot=poller.snapshot(), now=now()):
            logger.warning("partition %s of %s: the lease ran out mid-cycle; another worker has it now", index, count)
    return report
