"""The results search's Celery tasks, eager (no broker in tests) against the simulator: every partition searched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from simlane.iracing.simulator import Simulator
from simlane.results.models import GuildResultsConfig, PollPartition, PostedResult, TrackedDriver
from simlane.results.tasks import poll_partition, poll_results

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_tick_searches_every_partition_once_and_claims_the_tracked_drivers_races(
    simulator_settings: Simulator, settings
):
    settings.RESULTS_PARTITIONS = 3
    since = timezone.now() - timedelta(days=2)
    GuildResultsConfig.objects.create(guild_id=1, channel_id=10)
    members = simulator_settings.world.members[:30]
    for m in members:
        TrackedDriver.objects.create(guild_id=1, cust_id=m.cust_id, display_name=m.display_name, tracked_since=since)

    assert poll_results.delay().get() == 3

    partitions = list(PollPartition.objects.order_by("index"))
    assert [(p.index, p.count, p.leased_until) for p in partitions] == [(0, 3, None), (1, 3, None), (2, 3, None)]
    assert all(p.searched_at is not None and p.snapshot for p in partitions)
    searched = simulator_settings.counters["data:results/search_series"]
    assert searched == len(members)  # each driver's first search, in exactly one partition
    assert PostedResult.objects.filter(guild_id=1).exists()


def test_a_partition_another_worker_is_searching_is_left_alone(simulator_settings: Simulator, settings):
    settings.RESULTS_PARTITIONS = 2
    GuildResultsConfig.objects.create(guild_id=1, channel_id=10)
    even = next(m for m in simulator_settings.world.members if m.cust_id % 2 == 0)  # a driver of partition 0
    TrackedDriver.objects.create(guild_id=1, cust_id=even.cust_id, display_name=even.display_name)
    PollPartition.objects.create(index=0, count=2, leased_until=timezone.now() + timedelta(minutes=3))

    assert poll_partition.delay(0).get() == {"partition": 0, "busy": True}
    assert simulator_settings.counters["data:results/search_series"] == 0
