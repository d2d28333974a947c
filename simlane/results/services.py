"""Writes for the results bot: tracking, per-server configuration, the posted-results ledger and poll state.

Every function is keyword-only and atomic. The ledger (``PostedResult``) is what makes posting exactly-once: a row
is claimed (unique per server, subsession and driver) before anything is sent, its attempt counter is committed
before each send, and it is marked with the Discord message id after.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from simlane.core.errors import ApplicationError
from simlane.core.leases import lease_take

from .models import (
    ConfigStatus,
    DriverPollState,
    GuildResultsConfig,
    PostedResult,
    PostStatus,
    ResultsMode,
    TrackedDriver,
)

MAX_TRACKED_PER_GUILD = 500


class ResultsError(ApplicationError):
    """A results-bot request that cannot be done as asked (the message says why)."""


@dataclass(frozen=True)
class PostClaim:
    guild_id: int
    subsession_id: int
    cust_id: int
    channel_id: int
    race_ended_at: datetime | None


def tracked_driver_add(
    *,
    guild_id: int,
    cust_id: int,
    display_name: str,
    added_by: int | None,
    now: datetime,
    member_limited: bool = True,
) -> tuple[TrackedDriver, bool]:
    """Track a driver in one server; tracking twice is harmless and returns the existing row.

    The server's cap and, when ``member_limited`` (the member is not an admin), the per-member limit are checked
    under a lock on the server's configuration row, so concurrent ``/track`` calls are counted one after another
    and cannot together pass either limit.
    """
    with transaction.atomic():
        config = _config_for_update(guild_id)
        existing = TrackedDriver.objects.filter(guild_id=guild_id, cust_id=cust_id).first()
        if existing:
            return existing, False
        rows = TrackedDriver.objects.filter(guild_id=guild_id)
        if rows.count() >= MAX_TRACKED_PER_GUILD:
            raise ResultsError(
                f"This server already tracks {MAX_TRACKED_PER_GUILD} drivers, the most SimLane allows; "
                "an admin can `/untrack` some first."
            )
        limit = config.max_tracked_per_member
        if member_limited and added_by is not None and rows.filter(added_by=added_by).count() >= limit:
            raise ResultsError(
                f"You already track {limit} drivers here, the most one member may (admins set this with "
                "`/results limit`). `/untrack` one of yours first; `/tracked` lists them."
            )
        row = TrackedDriver.objects.create(
            guild_id=guild_id,
            cust_id=cust_id,
            display_name=display_name[:200],
            added_by=added_by,
            tracked_since=now,
        )
    return row, True


def _config_for_update(guild_id: int) -> GuildResultsConfig:
    """The server's configuration row, created if need be, locked until the surrounding transaction ends."""
    try:
        with transaction.atomic():
            config, _ = GuildResultsConfig.objects.select_for_update().get_or_create(guild_id=guild_id)
    except IntegrityError:  # created by a concurrent call between the read and the insert
        config = GuildResultsConfig.objects.select_for_update().get(guild_id=guild_id)
    return config


@transaction.atomic
def tracked_drivers_remove(
    *, guild_id: int, cust_ids: list[int], actor_id: int, actor_is_admin: bool
) -> list[TrackedDriver]:
    """Untrack several drivers at once: all of them or, if any is not tracked or not the actor's to remove, none.

    Members may untrack the drivers they added (and rows nobody added); admins may untrack any.
    """
    wanted = list(dict.fromkeys(cust_ids))
    rows = {r.cust_id: r for r in TrackedDriver.objects.filter(guild_id=guild_id, cust_id__in=wanted)}
    missing = [c for c in wanted if c not in rows]
    if missing:
        raise ResultsError(f"Not tracked in this server: {_ids(missing)}. Nothing was untracked.")
    if not actor_is_admin:
        others = [c for c in wanted if rows[c].added_by not in (None, actor_id)]
        if others:
            raise ResultsError(
                "Only the member who tracked a driver, or an admin, can untrack them, and someone else tracked "
                f"{_ids(others)}. Nothing was untracked."
            )
    TrackedDriver.objects.filter(id__in=[r.id for r in rows.values()]).delete()
    return [rows[c] for c in wanted]


@transaction.atomic
def tracked_drivers_remove_added_by(*, guild_id: int, added_by: int) -> list[TrackedDriver]:
    """Untrack every driver one member added to this server (an admin's clean-up)."""
    rows = list(TrackedDriver.objects.filter(guild_id=guild_id, added_by=added_by).order_by("display_name"))
    TrackedDriver.objects.filter(id__in=[r.id for r in rows]).delete()
    return rows


@transaction.atomic
def tracked_per_member_set(*, guild_id: int, limit: int) -> GuildResultsConfig:
    """How many drivers one member may track in this server (1 to the server's cap)."""
    if not 1 <= limit <= MAX_TRACKED_PER_GUILD:
        raise ResultsError(f"The per-member limit must be between 1 and {MAX_TRACKED_PER_GUILD}.")
    config = _config_for_update(guild_id)
    config.max_tracked_per_member = limit
    config.save(update_fields=["max_tracked_per_member", "updated_at"])
    return config


def _ids(cust_ids: list[int]) -> str:
    shown = ", ".join(f"`{c}`" for c in cust_ids[:10])
    return shown + (f" and {len(cust_ids) - 10} more" if len(cust_ids) > 10 else "")


@transaction.atomic
def results_channel_set(*, guild_id: int, channel_id: int) -> GuildResultsConfig:
    """Post this server's results in ``channel_id``; a broken configuration is repaired by this."""
    config, _ = GuildResultsConfig.objects.select_for_update().get_or_create(guild_id=guild_id)
    config.channel_id = channel_id
    config.status, config.status_reason, config.admins_notified = ConfigStatus.OK, "", False
    config.save()
    return config


@transaction.atomic
def results_mode_set(
    *,
    guild_id: int,
    mode: ResultsMode | None = None,
    include_hosted: bool | None = None,
    include_league: bool | None = None,
) -> GuildResultsConfig:
    config, _ = GuildResultsConfig.objects.select_for_update().get_or_create(guild_id=guild_id)
    if mode is not None:
        config.mode = mode
    if include_hosted is not None:
        config.include_hosted = include_hosted
    if include_league is not None:
        config.include_league = include_league
    config.save()
    return config


@transaction.atomic
def results_config_mark_broken(*, guild_id: int, reason: str) -> bool:
    """Stop posting to this server until an admin sets a channel; True if its admins have not been told yet."""
    config = GuildResultsConfig.objects.select_for_update().filter(guild_id=guild_id).first()
    if config is None:
        return False
    config.status, config.status_reason = ConfigStatus.BROKEN, reason[:200]
    must_notify = not config.admins_notified
    config.admins_notified = True
    config.save(update_fields=["status", "status_reason", "admins_notified", "updated_at"])
    return must_notify


def posts_claim(*, claims: list[PostClaim]) -> int:
    """Claim ledger rows (idempotent: a row that exists is left alone). Returns how many were new.

    One transaction for the whole race (a result claims a row for every tracked driver and server in it): the
    rows not there yet are inserted, conflicts ignored, and the new ones are counted by their fresh nonces, so a
    row another worker claimed in between is neither duplicated nor counted.
    """
    wanted: dict[tuple[int, int, int], PostClaim] = {}
    for c in claims:
        wanted.setdefault((c.guild_id, c.subsession_id, c.cust_id), c)
    if not wanted:
        return 0
    with transaction.atomic():
        existing = set(PostedResult.objects.filter(_keys(wanted)).values_list("guild_id", "subsession_id", "cust_id"))
        rows = [
            PostedResult(
                guild_id=c.guild_id,
                subsession_id=c.subsession_id,
                cust_id=c.cust_id,
                channel_id=c.channel_id,
                nonce=secrets.token_hex(12),  # 24 characters: Discord allows 25
                race_ended_at=c.race_ended_at,
            )
            for key, c in wanted.items()
            if key not in existing
        ]
        if not rows:
            return 0
        PostedResult.objects.bulk_create(rows, ignore_conflicts=True)
        mine = PostedResult.objects.filter(_keys((r.guild_id, r.subsession_id, r.cust_id) for r in rows))
        return mine.filter(nonce__in=[r.nonce for r in rows]).count()


def _keys(keys: Iterable[tuple[int, int, int]]) -> Q:
    """Ledger rows by (guild, subsession, driver): the unique index finds each."""
    q = Q()
    for guild_id, subsession_id, cust_id in keys:
        q |= Q(guild_id=guild_id, subsession_id=subsession_id, cust_id=cust_id)
    return q


def post_lease(*, post_id: int, now: datetime, until: datetime) -> PostedResult | None:
    """Take the right to deliver a due post until ``until``: the row as it is now, or ``None`` when another process
    has it (or it is done).

    The lease is the row's own ``next_attempt_at`` (``core.leases``); after a lease ran out, ``attempts > 0`` makes
    the next drainer look for the message before sending.
    """
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    rows = PostedResult.objects.filter(due, id=post_id, status=PostStatus.CLAIMED)
    if not lease_take(rows, next_attempt_at=until):
        return None
    return PostedResult.objects.get(id=post_id)


def post_attempt_begin(*, post_id: int, channel_id: int) -> PostedResult:
    """Count an attempt before sending: after a crash, ``attempts > 0`` says a message may already exist."""
    PostedResult.objects.filter(id=post_id).update(attempts=F("attempts") + 1, channel_id=channel_id)
    return PostedResult.objects.get(id=post_id)


def post_mark_posted(*, post_id: int, message_id: int, now: datetime) -> None:
    PostedResult.objects.filter(id=post_id).update(
        status=PostStatus.POSTED, message_id=message_id, posted_at=now, next_attempt_at=None, last_error=""
    )


def post_defer(*, post_id: int, until: datetime, error: str) -> None:
    PostedResult.objects.filter(id=post_id).update(next_attempt_at=until, last_error=error[:200])


def post_fail(*, post_id: int, error: str) -> None:
    PostedResult.objects.filter(id=post_id).update(status=PostStatus.FAILED, last_error=error[:200])


def poll_states_save(*, states: list[DriverPollState]) -> None:
    """Upsert poll states in one statement (the poller keeps them in memory during a cycle)."""
    DriverPollState.objects.bulk_create(
        states,
        update_conflicts=True,
        unique_fields=["cust_id"],
        update_fields=["last_poll_at", "last_race_at", "next_poll_at", "recent_series", "ratings", "updated_at"],
    )
