"""The results search split over Celery workers: partitions leased one worker at a time, rebuilt from the database.

Each ``partition_cycle`` here is what one ``poll_partition`` task does in a worker: a fresh poller, the drivers'
poll states and the partition's snapshot read from the database, one cycle, the partition handed back.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import sync_to_async

from simlane.iracing.simulator.world import Member
from simlane.results.models import PollPartition, PostedResult
from simlane.results.partitions import partition_release, partition_take
from simlane.results.poller import Outbox, PollPolicy, SubsessionFetcher
from simlane.results.poller.partitioned import partition_cycle
from simlane.results.poller.strategy import Subscriptions

from .conftest import T0, ResultsWorld
from .test_poller import HOURS, Recorder, _racers, _track

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
HOLD = timedelta(minutes=5)


def test_a_leased_partition_is_nobody_elses_until_handed_back_or_run_out():
    first = partition_take(index=0, count=4, now=NOW, hold=HOLD)
    assert first is not None
    assert partition_take(index=0, count=4, now=NOW + timedelta(minutes=4), hold=HOLD) is None
    assert partition_take(index=1, count=4, now=NOW, hold=HOLD) is not None  # other partitions are free

    assert partition_release(lease=first, snapshot={"handled": [7]}, now=NOW)
    again = partition_take(index=0, count=4, now=NOW + timedelta(seconds=1), hold=HOLD)
    assert again is not None and again.snapshot == {"handled": [7]}


def test_a_dead_workers_partition_is_taken_over_and_its_late_hand_back_refused():
    dead = partition_take(index=0, count=4, now=NOW, hold=HOLD)
    assert dead is not None
    # The worker was killed: its lease runs out and another worker takes the partition.
    heir = partition_take(index=0, count=4, now=NOW + HOLD, hold=HOLD)
    assert heir is not None
    assert partition_release(lease=heir, snapshot={"handled": [2]}, now=NOW + HOLD)
    # Had the first one only stalled, its hand-back must not overwrite the newer memory.
    assert not partition_release(lease=dead, snapshot={"handled": [1]}, now=NOW + HOLD)
    assert PollPartition.objects.get(index=0).snapshot == {"handled": [2]}


def test_a_new_partition_count_starts_without_the_old_memory():
    lease = partition_take(index=0, count=4, now=NOW, hold=HOLD)
    assert lease is not None
    partition_release(lease=lease, snapshot={"handled": [1]}, now=NOW)
    # With 8 partitions, partition 0 holds other drivers than with 4: the old snapshot is not theirs.
    taken = partition_take(index=0, count=8, now=NOW + timedelta(seconds=1), hold=HOLD)
    assert taken is not None and taken.snapshot == {}


def _expected_claims(w: ResultsWorld, racers: list[Member], since: float) -> set[tuple[int, int, int]]:
    return {(i + 1, sub, m.cust_id) for i, m in enumerate(racers) for sub in w.races(m, since, w.clock.time())}


async def _search_all(w: ResultsWorld, count: int, subscriptions: Subscriptions) -> None:
    """Every partition once, all at the same time, as the workers do after one beat tick."""
    reports = await asyncio.gather(
        *(
            partition_cycle(
                [w.client], index=i, count=count, now=w.now, policy=w.policy, hold=HOLD, subscriptions=subscriptions
            )
            for i in range(count)
        )
    )
    assert None not in reports


async def test_partitions_searched_by_changing_workers_claim_every_race_once(results_world: ResultsWorld):
    w = results_world
    since = T0 - 6 * HOURS
    racers = _racers(w, 12, since, T0 - 60)
    await sync_to_async(_track)(racers, datetime.fromtimestamp(since, UTC))
    recorder = Recorder(w)
    outbox = Outbox(recorder, SubsessionFetcher(w.client), now=w.now)

    for _ in range(6):  # 12 minutes of beat ticks, each partition rebuilt in a fresh poller every time
        await _search_all(w, 3, Subscriptions())
        await outbox.drain()
        w.clock.advance(w.policy.interval.total_seconds())

    claims = {(p.guild_id, p.subsession_id, p.cust_id) async for p in PostedResult.objects.all()}
    assert claims == _expected_claims(w, racers, since)
    # No driver searched by two partitions: at most a first search and one per race each.
    assert w.sim.counters["data:results/search_series"] <= len(racers) + len(claims)
    nonces = [nonce for nonce, _ in recorder.sent]
    assert len(nonces) == len(set(nonces)) == len(claims)  # each posted once


async def test_a_worker_carries_on_from_the_snapshot_without_reading_everyone_again(results_world: ResultsWorld):
    w = results_world
    since = T0 - 6 * HOURS
    racers = _racers(w, 12, since, T0 - 60)
    await sync_to_async(_track)(racers, datetime.fromtimestamp(since, UTC))
    subscriptions = Subscriptions()
    await _search_all(w, 2, subscriptions)
    assert w.sim.counters["data:member/get"] >= 2  # each partition read its drivers' ratings once

    # A minute later other workers take the partitions: nobody's ratings are due again, so nothing is read.
    w.clock.advance(60)
    before = dict(w.sim.counters)
    await _search_all(w, 2, subscriptions)
    assert w.sim.counters["data:member/get"] == before["data:member/get"]
    assert w.sim.counters["data:results/search_series"] == before["data:results/search_series"]


async def test_a_worker_killed_mid_cycle_leaves_the_partition_to_the_next_after_its_lease(
    results_world: ResultsWorld,
):
    w = results_world
    since = T0 - 6 * HOURS
    racers = _racers(w, 12, since, T0 - 60)
    await sync_to_async(_track)(racers, datetime.fromtimestamp(since, UTC))
    policy = PollPolicy()
    doomed = asyncio.ensure_future(
        partition_cycle(
            [w.client], index=0, count=1, now=w.now, policy=policy, hold=HOLD, subscriptions=Subscriptions()
        )
    )
    while w.sim.counters["data:results/search_series"] < len(racers) // 2:  # noqa: ASYNC110
        await asyncio.sleep(0)  # the simulator serves on this loop: yielding lets the searches run
    # Killed at whatever await it is in. ``finally`` blocks still run on cancellation, so the kill is done by
    # restoring the lease the dead process would have left behind.
    lease_row = await PollPartition.objects.aget(index=0)
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    await PollPartition.objects.filter(index=0).aupdate(
        leased_until=lease_row.leased_until, generation=lease_row.generation
    )

    busy = await partition_cycle(
        [w.client], index=0, count=1, now=w.now, policy=policy, hold=HOLD, subscriptions=Subscriptions()
    )
    assert busy is None  # still leased to the dead worker: nobody searches the same drivers at once
    w.clock.advance(HOLD.total_seconds())
    recorder = Recorder(w)
    outbox = Outbox(recorder, SubsessionFetcher(w.client), now=w.now)
    report = await partition_cycle(
        [w.client], index=0, count=1, now=w.now, policy=policy, hold=HOLD, subscriptions=Subscriptions()
    )
    assert report is not None
    await outbox.drain()

    claims = {(p.guild_id, p.subsession_id, p.cust_id) async for p in PostedResult.objects.all()}
    assert claims == _expected_claims(w, racers, since)
    assert len(recorder.sent) == len(claims)
