"""Prometheus metrics: the deployment's state read at scrape time, plus this process's own counters.

The state (outbox, poll lag, the shared iRacing budget, queue depths) lives in the database and Redis, so any
process's ``/metrics`` reports all of it the same way; one scrape target is enough for those. The counters of
problems logged (by logger and level) are per process.

- ``simlane_posts{status}``: ledger rows by status (claimed rows are the outbox; posted ones are posts sent)
- ``simlane_outbox_oldest_age_seconds``: how long the oldest post still waiting has waited
- ``simlane_poll_lag_seconds{driver_class}``: how far the most overdue driver of each class is behind its search
- ``simlane_poll_partition_age_seconds{partition}``: since each partition of the results search (Celery workers)
  last finished a cycle; one that keeps growing has no worker taking it
- ``simlane_iracing_budget_limit`` / ``_remaining`` / ``_used``: the account's shared rate budget this window
- ``simlane_queue_depth{queue}``: messages waiting in each Celery queue (Redis broker)
- ``simlane_problems_total{logger,level}``: warnings and errors this process logged (failures by kind)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from simlane.iracing.client.shared_budget import budget_account, budget_keys
from simlane.iracing.services import client_config_from_settings
from simlane.results.models import DriverPollState, PollPartition, PostedResult, PostStatus

logger = logging.getLogger(__name__)
QUEUES = ("celery",)
# A driver's class for poll lag, by their newest race: racing today, this week, or idle.
DRIVER_CLASSES = (("racing", timedelta(days=1)), ("recent", timedelta(days=7)), ("idle", None))


def _poll_lag(now: datetime) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "simlane_poll_lag_seconds", "Most overdue driver search, by driver class", labels=["driver_class"]
    )
    newer = Q()
    for name, within in DRIVER_CLASSES:
        rows = DriverPollState.objects.filter(next_poll_at__lte=now)
        if within is not None:
            rows = rows.filter(~newer, last_race_at__gte=now - within)
            newer |= Q(last_race_at__gte=now - within)
        else:
            rows = rows.filter(~newer)
        oldest = rows.aggregate(oldest=Min("next_poll_at"))["oldest"]
        family.add_metric([name], (now - oldest).total_seconds() if oldest else 0.0)
    return family


def _partitions(now: datetime) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "simlane_poll_partition_age_seconds", "Since each results-search partition last finished", labels=["partition"]
    )
    rows = PollPartition.objects.filter(index__lt=settings.RESULTS_PARTITIONS).values_list("index", "searched_at")
    for index, searched_at in rows.order_by("index"):
        family.add_metric([str(index)], (now - searched_at).total_seconds() if searched_at else float("inf"))
    return family


def _posts(now: datetime) -> Iterator[GaugeMetricFamily]:
    counts = dict(PostedResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    posts = GaugeMetricFamily("simlane_posts", "Result ledger rows by status", labels=["status"])
    for status in PostStatus.values:
        posts.add_metric([status], counts.get(status, 0))
    yield posts
    oldest = PostedResult.objects.filter(status=PostStatus.CLAIMED).aggregate(oldest=Min("created_at"))["oldest"]
    age = (now - oldest).total_seconds() if oldest else 0.0
    yield GaugeMetricFamily("simlane_outbox_oldest_age_seconds", "Age of the oldest post still waiting", value=age)


def _redis_state() -> Iterator[GaugeMetricFamily]:
    from redis import Redis
    from redis.exceptions import RedisError

    urls = {"budget": settings.REDIS_URL, "broker": settings.CELERY_BROKER_URL}
    if urls["budget"]:
        try:
            with Redis.from_url(urls["budget"], socket_timeout=2) as redis:
                yield from _budget(redis)
        except RedisError as exc:
            logger.warning("metrics: the shared iRacing budget could not be read: %s", exc)
    if urls["broker"].startswith("redis"):
        try:
            with Redis.from_url(urls["broker"], socket_timeout=2) as redis:
                depth = GaugeMetricFamily("simlane_queue_depth", "Messages waiting per Celery queue", labels=["queue"])
                for queue in QUEUES:
                    depth.add_metric([queue], float(redis.llen(queue)))
                yield depth
        except RedisError as exc:
            logger.warning("metrics: the broker's queues could not be read: %s", exc)


def _budget(redis: object) -> Iterator[GaugeMetricFamily]:
    config = client_config_from_settings()
    key, _ = budget_keys(budget_account(config.client_id, config.username))
    limit, remaining = redis.hmget(key, ["limit", "remaining"])  # type: ignore[attr-defined]
    if limit is None:
        return
    left = float(remaining) if remaining is not None else float(limit)
    yield GaugeMetricFamily("simlane_iracing_budget_limit", "iRacing requests allowed per window", value=float(limit))
    yield GaugeMetricFamily("simlane_iracing_budget_remaining", "iRacing requests left this window", value=left)
    yield GaugeMetricFamily(
        "simlane_iracing_budget_used", "iRacing requests used this window", value=float(limit) - left
    )


class SimLaneCollector(Collector):
    """Reads the deployment's state at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        yield from _posts(now)
        yield _poll_lag(now)
        yield _partitions(now)
        yield from _redis_state()


_STATE = CollectorRegistry(auto_describe=False)
_STATE.register(SimLaneCollector())


def render() -> bytes:
    """The text exposition of every metric: this process's counters and the deployment's state."""
    return generate_latest(REGISTRY) + generate_latest(_STATE)
