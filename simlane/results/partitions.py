"""Poll partitions: how several Celery workers share the results search without doing the same work twice.

The tracked drivers are split into ``count`` partitions by ``cust_id % count``. A worker leases a partition (a row
lock through :func:`simlane.core.leases.lease_take`, so two workers never search the same drivers at once), runs
one poller cycle on it and hands it back with the poller's memory. A worker killed mid-cycle holds its lease until
it runs out, just past the task's hard time limit; then any worker takes the partition over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Q

from simlane.core.leases import lease_take

from .models import PollPartition


@dataclass(frozen=True)
class PartitionLease:
    index: int
    count: int
    generation: int  # whose lease this is: a release by anyone else's is refused
    snapshot: dict[str, Any]


def partition_take(*, index: int, count: int, now: datetime, hold: timedelta) -> PartitionLease | None:
    """Lease partition ``index`` of ``count`` until ``now + hold``; None when another worker has it."""
    PollPartition.objects.bulk_create([PollPartition(index=index, count=count)], ignore_conflicts=True)
    free = PollPartition.objects.filter(index=index).filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
    if not lease_take(free, leased_until=now + hold, generation=F("generation") + 1):
        return None
    row = PollPartition.objects.get(index=index)
    # With another partition count the drivers moved between partitions: that memory belongs to no one now.
    return PartitionLease(index, count, row.generation, row.snapshot if row.count == count else {})


def partition_release(*, lease: PartitionLease, snapshot: dict[str, Any], now: datetime) -> bool:
    """Hand the partition back with the poller's memory; False (nothing written) if the lease had run out and
    another worker took the partition meanwhile: its memory is the newer one."""
    mine = PollPartition.objects.filter(index=lease.index, generation=lease.generation)
    return mine.update(leased_until=None, snapshot=snapshot, count=lease.count, searched_at=now) == 1
