"""The benchmarks' database work: reset the results tables to a scenario, read back a posted row, set up the
matching benchmark's club, seed the Discord benchmark's servers.

Synchronous; the benchmark's async code reaches these through :mod:`simlane.bench.aio`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.utils import timezone

from simlane.clubs.membersync import MemberSnapshot, member_sync_full
from simlane.clubs.models import Club
from simlane.iracing.models import Subsession
from simlane.racenumbers.models import NumberConfig
from simlane.results.models import (
    DriverPollState,
    GuildResultsConfig,
    PollPartition,
    PostedResult,
    PostStatus,
    TrackedDriver,
)


def throwaway_commits() -> None:
    """Commits that do not wait for the disk, on the benchmark's throw-away PostgreSQL database (new connections).

    The poller and outbox commit after every claim, lease and post, each on its own; waiting for each to reach
    the disk is the database server's time, not SimLane's work, and nothing here needs to survive a crash.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
            "SET synchronous_commit TO off"
        )
    connection.close()


def results_reset(
    *, channels: dict[int, int], subscriptions: list[tuple[int, int, str]], tracked_since: datetime
) -> None:
    """Empty the results tables, then configure ``channels`` (guild -> channel) and track (guild, cust, name)."""
    for model in (PostedResult, Subsession, DriverPollState, PollPartition, TrackedDriver, GuildResultsConfig):
        model.objects.all().delete()
    GuildResultsConfig.objects.bulk_create(GuildResultsConfig(guild_id=g, channel_id=c) for g, c in channels.items())
    TrackedDriver.objects.bulk_create(
        TrackedDriver(guild_id=g, cust_id=c, display_name=name, tracked_since=tracked_since)
        for g, c, name in subscriptions
    )


def posts_waiting() -> int:
    """Claimed posts not sent yet (the chaos benchmark waits for them before it counts)."""
    return PostedResult.objects.filter(status=PostStatus.CLAIMED).count()


def subsessions_stored() -> int:
    """Races whose results are stored (each fetched from iRacing at least once)."""
    return Subsession.objects.count()


def drivers_searched() -> int:
    """Tracked drivers searched at least once (the scaling run's backlog is done when every one is)."""
    return DriverPollState.objects.filter(last_poll_at__isnull=False).count()


def posted_keys(*, nonces: list[str]) -> dict[str, tuple[int, int, int]]:
    """(guild, subsession, cust) of the ledger row each post's nonce belongs to."""
    keys: dict[str, tuple[int, int, int]] = {}
    for i in range(0, len(nonces), 900):  # SQLite allows so many parameters in a statement
        rows = PostedResult.objects.filter(nonce__in=nonces[i : i + 900])
        for nonce, guild, subsession, cust in rows.values_list("nonce", "guild_id", "subsession_id", "cust_id"):
            keys[nonce] = (guild, subsession, cust)
    return keys


def matching_club_setup(*, guild_id: int, name: str, members: list[MemberSnapshot], league_id: int) -> Club:
    """The matching benchmark's server: its members synced as the bot would, linked to the league ``league_id``."""
    member_sync_full(guild_id=guild_id, name=name, members=members, started_at=timezone.now(), duration_ms=0)
    NumberConfig.objects.create(guild_id=guild_id, league_id=league_id)
    return Club.objects.get(guild_id=guild_id)


def discord_servers_seed(*, servers: list[tuple[int, int]], tracked: int, since: datetime) -> None:
    """Each (guild, channel) of the Discord benchmark posts results in that channel and tracks ``tracked`` drivers."""
    GuildResultsConfig.objects.bulk_create(
        (GuildResultsConfig(guild_id=g, channel_id=c) for g, c in servers), batch_size=1000
    )
    TrackedDriver.objects.bulk_create(
        (
            TrackedDriver(
                guild_id=g, cust_id=100_000 + n * tracked + k, display_name=f"Driver {n}-{k}", tracked_since=since
            )
            for n, (g, _c) in enumerate(servers)
            for k in range(tracked)
        ),
        batch_size=1000,
    )
