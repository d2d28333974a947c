"""Writes of the intents queue: enqueue, claim under a lease, and the three ways an attempt ends.

Every transition after the claim is conditional on the row still being ``running`` under the same lease, so a bot
whose lease ran out (and whose intent another bot took over) cannot overwrite the newer outcome.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from simlane.core.shards import Shards, of_shards

from ..models import Club, DiscordIntent, IntentKind, IntentStatus
from . import wakeup


@dataclass(frozen=True)
class IntentPolicy:
    """Bounded retries: a few attempts, exponential back-off, never sooner than Discord's Retry-After."""

    max_attempts: int = 5
    first_backoff: timedelta = timedelta(seconds=10)
    max_backoff: timedelta = timedelta(minutes=10)
    lease: timedelta = timedelta(minutes=2)

    def backoff(self, attempts: int) -> timedelta:
        factor: int = 2 ** max(0, attempts - 1)
        return min(self.max_backoff, self.first_backoff * factor)


POLICY = IntentPolicy()


def intent_enqueue(
    *,
    club: Club,
    kind: IntentKind,
    payload: dict[str, Any] | None = None,
    requested_by: AbstractBaseUser | None = None,
    idempotency_key: str = "",
    now: datetime,
) -> tuple[DiscordIntent, bool]:
    """Queue an intent for the bot; the same ``idempotency_key`` twice returns the first one (and False)."""
    key = idempotency_key or secrets.token_hex(16)
    existing = DiscordIntent.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            intent = DiscordIntent.objects.create(
                club=club,
                kind=kind,
                payload=payload or {},
                idempotency_key=key,
                nonce=secrets.token_hex(12),  # 24 characters: Discord allows 25
                requested_by_id=requested_by.pk if requested_by is not None else None,
                not_before=now,
            )
    except IntegrityError:  # the same key enqueued at the same moment by another request
        return DiscordIntent.objects.get(idempotency_key=key), False
    transaction.on_commit(wakeup.notify)
    return intent, True


def intent_claim_next(
    *,
    now: datetime,
    kinds: tuple[str, ...] | None = None,
    policy: IntentPolicy = POLICY,
    shards: Shards | None = None,
) -> DiscordIntent | None:
    """Take the oldest due intent under a lease, or None. A conditional UPDATE decides who gets it: of two bots
    that read the same row, exactly one updates it.

    Due means queued and past its ``not_before``, or running under a lease that ran out (its bot died).
    ``shards``: a sharded bot process takes only its own shards' servers' intents (it cannot see the others).
    """
    due = Q(status=IntentStatus.QUEUED, not_before__lte=now) | Q(status=IntentStatus.RUNNING, lease_until__lt=now)
    candidates = of_shards(DiscordIntent.objects.filter(due, club__active=True), shards, guild_field="club__guild_id")
    if kinds is not None:
        candidates = candidates.filter(kind__in=kinds)
    for row in candidates.order_by("not_before", "id").values("id", "status", "attempts")[:20]:
        taken = DiscordIntent.objects.filter(id=row["id"], status=row["status"], attempts=row["attempts"]).update(
            status=IntentStatus.RUNNING,
            attempts=F("attempts") + 1,
            lease_until=now + policy.lease,
            updated_at=now,
        )
        if taken:
            return DiscordIntent.objects.select_related("club").get(id=row["id"])
    return None


def _finish(intent: DiscordIntent, **fields: Any) -> bool:
    return (
        DiscordIntent.objects.filter(id=intent.id, status=IntentStatus.RUNNING, attempts=intent.attempts).update(
            lease_until=None, **fields
        )
        > 0
    )


def intent_done(*, intent: DiscordIntent, result: dict[str, Any] | None = None, now: datetime) -> bool:
    """The intent was carried out; ``result`` says what it did (e.g. the message id)."""
    return _finish(intent, status=IntentStatus.DONE, result=result or {}, reason="", finished_at=now, updated_at=now)


def intent_failed(*, intent: DiscordIntent, reason: str, now: datetime) -> bool:
    """The intent cannot be carried out (e.g. a missing permission); the reason is shown to the admin."""
    return _finish(intent, status=IntentStatus.FAILED, reason=reason[:300], finished_at=now, updated_at=now)


def intent_retry_later(
    *, intent: DiscordIntent, reason: str, retry_after: float | None, now: datetime, policy: IntentPolicy = POLICY
) -> bool:
    """Discord said not now: queue again after the back-off (never sooner than its Retry-After), or fail once the
    attempts are used up. Returns True if it will be retried."""
    if intent.attempts >= policy.max_attempts:
        intent_failed(intent=intent, reason=f"{reason} (gave up after {intent.attempts} attempts)", now=now)
        return False
    wait = max(policy.backoff(intent.attempts), timedelta(seconds=retry_after or 0))
    return _finish(intent, status=IntentStatus.QUEUED, reason=reason[:300], not_before=now + wait, updated_at=now)
