"""Reads for the results bot. Every query is scoped by guild where a guild is involved."""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q

from simlane.core.shards import Shards, of_shards
from simlane.iracing.models import Participant

from .models import (
    ConfigStatus,
    DriverPollState,
    GuildResultsConfig,
    PostedResult,
    PostStatus,
    ResultsMode,
    TrackedDriver,
)


@dataclass(frozen=True)
class Subscription:
    """One server's wish to see one driver's races: where they go and which races count."""

    guild_id: int
    cust_id: int
    channel_id: int
    tracked_since: datetime
    official_only: bool
    include_hosted: bool
    include_league: bool


def results_config_get(*, guild_id: int) -> GuildResultsConfig | None:
    return GuildResultsConfig.objects.filter(guild_id=guild_id).first()


def tracked_driver_list(*, guild_id: int) -> list[TrackedDriver]:
    return list(TrackedDriver.objects.filter(guild_id=guild_id).order_by("display_name", "cust_id"))


# The newest stored result rows searched for known drivers: enough for every driver a server has raced with
# lately, few enough to scan on a keystroke.
KNOWN_DRIVERS_SCAN = 5000


def fold(text: str) -> str:
    """``text`` for matching: case and accents ignored ("Lefevre" matches "Lefèvre", "LEFÈVRE" and "lefevre")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def known_drivers(*, guild_id: int | None, term: str, limit: int = 25) -> list[tuple[int, str]]:
    """(cust_id, name) of drivers SimLane already knows whose name contains ``term`` (case and accents ignored) or
    whose id starts with it: this server's tracked drivers first, then drivers of the newest stored results."""
    key = fold(term.strip())
    tracked = (
        TrackedDriver.objects.filter(guild_id=guild_id).order_by("display_name").values_list("cust_id", "display_name")
        if guild_id is not None
        else TrackedDriver.objects.none().values_list("cust_id", "display_name")
    )
    stored = (
        Participant.objects.filter(cust_id__isnull=False)
        .order_by("-id")
        .values_list("cust_id", "display_name")[:KNOWN_DRIVERS_SCAN]
    )
    found: dict[int, str] = {}
    for cust_id, name in itertools.chain(tracked, stored):
        if cust_id is None or cust_id in found:
            continue
        if key and (key in fold(name) or str(cust_id).startswith(key)):
            found[cust_id] = name
            if len(found) >= limit:
                break
    return list(found.items())


def tracked_driver_get(*, guild_id: int, cust_id: int) -> TrackedDriver | None:
    return TrackedDriver.objects.filter(guild_id=guild_id, cust_id=cust_id).first()


def subscriptions_by_driver(*, cust_ids: Iterable[int] | None = None) -> dict[int, list[Subscription]]:
    """Every tracked driver whose server has a results channel, with that server's rules.

    A broken channel still collects claims: they wait in the ledger and are posted when an admin fixes the channel.
    """
    configs = {
        c.guild_id: c
        for c in GuildResultsConfig.objects.filter(channel_id__isnull=False).only(
            "guild_id", "channel_id", "mode", "include_hosted", "include_league"
        )
    }
    rows = TrackedDriver.objects.filter(guild_id__in=list(configs)).only("guild_id", "cust_id", "tracked_since")
    if cust_ids is not None:
        rows = rows.filter(cust_id__in=list(cust_ids))
    out: dict[int, list[Subscription]] = defaultdict(list)
    for row in rows:
        c = configs[row.guild_id]
        assert c.channel_id is not None
        out[row.cust_id].append(
            Subscription(
                guild_id=row.guild_id,
                cust_id=row.cust_id,
                channel_id=c.channel_id,
                tracked_since=row.tracked_since,
                official_only=c.mode == ResultsMode.OFFICIAL,
                include_hosted=c.include_hosted,
                include_league=c.include_league,
            )
        )
    return dict(out)


def subscriptions_version() -> tuple[object, ...]:
    """Changes whenever a tracked driver or a server's results settings change (the poller reloads only then)."""
    tracked = TrackedDriver.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    configs = GuildResultsConfig.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (tracked["n"], tracked["last"], tracked["top"], configs["n"], configs["last"])


def poll_states(*, cust_ids: Iterable[int]) -> dict[int, DriverPollState]:
    return {s.cust_id: s for s in DriverPollState.objects.filter(cust_id__in=list(cust_ids))}


def posts_due(*, now: datetime, limit: int = 100, shards: Shards | None = None) -> list[PostedResult]:
    """Claimed posts whose server can receive them and whose back-off (if any) has passed, oldest first.

    ``shards`` (a shard count and the shard ids a bot process holds) keeps the servers of those shards only, so a
    post goes out from the process connected to its server (Discord: shard = (guild_id >> 22) % shard count).
    """
    postable = GuildResultsConfig.objects.filter(channel_id__isnull=False, status=ConfigStatus.OK).values("guild_id")
    rows = PostedResult.objects.filter(status=PostStatus.CLAIMED, guild_id__in=postable).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return list(of_shards(rows, shards).order_by("created_at", "id")[:limit])


def posts_pending_count(*, guild_id: int) -> int:
    return PostedResult.objects.filter(guild_id=guild_id, status=PostStatus.CLAIMED).count()


def claimed_guilds(*, subsession_id: int, cust_id: int) -> set[int]:
    """Servers that already have a ledger row for this driver in this subsession."""
    return set(
        PostedResult.objects.filter(subsession_id=subsession_id, cust_id=cust_id).values_list("guild_id", flat=True)
    )


def recent_posts(*, guild_id: int, limit: int = 25) -> list[PostedResult]:
    """The server's newest ledger rows (posted, waiting or given up), newest first."""
    return list(PostedResult.objects.filter(guild_id=guild_id).order_by("-created_at", "-id")[:limit])


def failed_posts(*, guild_id: int, limit: int = 25) -> list[PostedResult]:
    """Posts SimLane gave up on, or that are waiting after an error, newest first."""
    failing = Q(status=PostStatus.FAILED) | (Q(status=PostStatus.CLAIMED) & ~Q(last_error=""))
    return list(PostedResult.objects.filter(failing, guild_id=guild_id).order_by("-updated_at", "-id")[:limit])
