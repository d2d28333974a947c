"""The benchmarks' database work: reset the results tables to a scenario, read back a posted row, set up the
matching benchmark's club.

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
from simlane.results.models import DriverPollState, GuildResultsConfig, PostedResult, TrackedDriver


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
    for model in (PostedResult, Subsession, DriverPollState, TrackedDriver, GuildResultsConfig):
        model.objects.all().delete()
    GuildResultsConfig.objects.bulk_create(GuildResultsConfig(guild_id=g, channel_id=c) for g, c in channels.items())
    TrackedDriver.objects.bulk_create(
        TrackedDriver(guild_id=g, cust_id=c, display_name=name, tracked_since=tracked_since)
        for g, c, name in subscriptions
    )


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
