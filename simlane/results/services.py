"""Writes for the results bot: tracking, per-server configuration, the posted-results ledger and poll state.

Every function is keyword-only and atomic. The ledger (``PostedResult``) is what makes posting exactly-once: a row
is claimed (unique per server, subsession and driver) before anything is sent, its attempt counter is committed
before each send, and it is marked with the Discord message id after.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from simlane.core.errors import ApplicationError

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
    *, guild_id: int, cust_id: int, display_name: str, added_by: int | None, now: datetime
) -> tuple[TrackedDriver, bool]:
    """Track a driver in one server; tracking twice is harmless and returns the existing row."""
    existing = TrackedDriver.objects.filter(guild_id=guild_id, cust_id=cust_id).first()
    if existing:
        return existing, False
    if TrackedDriver.objects.filter(guild_id=guild_id).count() >= MAX_TRACKED_PER_GUILD:
        raise ResultsError(f"This server already tracks {MAX_TRACKED_PER_GUILD} drivers; untrack one first.")
    try:
        with transaction.atomic():
            row = TrackedDriver.objects.create(
                guild_id=guild_id,
                cust_id=cust_id,
                display_name=display_name[:200],
                added_by=added_by,
                tracked_since=now,
            )
    except IntegrityError:  # two members tracked the same driver at the same instant
        return TrackedDriver.objects.get(guild_id=guild_id, cust_id=cust_id), False
    return row, True


def tracked_driver_remove(*, guild_id: int, cust_id: int) -> TrackedDriver | None:
    row = TrackedDriver.objects.filter(guild_id=guild_id, cust_id=cust_id).first()
    if row:
        row.delete()
    return row


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
    """Claim ledger rows (idempotent: a row that exists is left alone). Returns how many were new."""
    created = 0
    for c in claims:
        try:
            with transaction.atomic():
                _, new = PostedResult.objects.get_or_create(
                    guild_id=c.guild_id,
                    subsession_id=c.subsession_id,
                    cust_id=c.cust_id,
                    defaults={
                        "channel_id": c.channel_id,
                        "nonce": secrets.token_hex(12),  # 24 characters: Discord allows 25
                        "race_ended_at": c.race_ended_at,
                    },
                )
        except IntegrityError:  # claimed by another worker between the read and the insert
            new = False
        created += new
    return created


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
        update_fields=["last_poll_at", "last_race_at", "next_poll_at", "recent_series", "updated_at"],
    )
