"""The poller benchmark's database work: reset the results tables to a scenario, read back a posted row.

Synchronous; the benchmark's async code reaches these through :mod:`simlane.bench.aio`.
"""

from __future__ import annotations

from datetime import datetime

from simlane.iracing.models import Subsession
from simlane.results.models import DriverPollState, GuildResultsConfig, PostedResult, TrackedDriver


def results_reset(
    *, channels: dict[int, int], subscriptions: list[tuple[int, int, str]], tracked_since: datetime
) -> None:
    """Empty the results tables, then configure ``channels`` (guild -> channel) and track (guild, cust, name)."""
    for model in (PostedResult, Subsession, DriverPollState, TrackedDriver, GuildResultsConfig):
        model.objects.all().delete()
    GuildResultsConfig.objects.bulk_create(GuildResultsConfig(guild_id=g, channel_id=c) for g, c in channels.items())
    TrackedDriver.objects.bulk_create(
        TrackedDriver(guild_id=g, cust_id=c, display_name=name, tracked_since=tracked_since)
        for g, c, name in subscriptions
    )


def posted_key(*, nonce: str) -> tuple[int, int, int]:
    """(guild, subsession, cust) of the ledger row a post's nonce belongs to."""
    row = PostedResult.objects.values_list("guild_id", "subsession_id", "cust_id").get(nonce=nonce)
    return row[0], row[1], row[2]
