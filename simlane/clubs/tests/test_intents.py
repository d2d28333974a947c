"""The intents queue's lease: one bot per intent, a dead bot's intent taken over, a late bot's outcome ignored,
and bounded retries that honour Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simlane.clubs.intents.services import (
    IntentPolicy,
    intent_claim_next,
    intent_done,
    intent_enqueue,
    intent_retry_later,
)
from simlane.clubs.models import Club, DiscordIntent, IntentKind, IntentStatus

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
POLICY = IntentPolicy(max_attempts=3, first_backoff=timedelta(seconds=10), lease=timedelta(minutes=2))


@pytest.fixture
def intent() -> DiscordIntent:
    club = Club.objects.create(guild_id=1, name="club")
    return intent_enqueue(club=club, kind=IntentKind.MEMBER_SYNC, now=T0)[0]


def test_a_claimed_intent_is_not_claimed_again_while_its_lease_holds(intent):
    first = intent_claim_next(now=T0, policy=POLICY)
    assert first is not None and first.id == intent.id and first.attempts == 1
    assert intent_claim_next(now=T0 + timedelta(minutes=1), policy=POLICY) is None


def test_a_dead_bots_intent_is_taken_over_and_its_late_outcome_ignored(intent):
    dead = intent_claim_next(now=T0, policy=POLICY)
    assert dead is not None
    alive = intent_claim_next(now=T0 + timedelta(minutes=3), policy=POLICY)
    assert alive is not None and alive.attempts == 2
    assert intent_done(intent=dead, result={"by": "dead"}, now=T0) is False  # its lease was taken over
    assert intent_done(intent=alive, result={"by": "alive"}, now=T0) is True
    intent.refresh_from_db()
    assert (intent.status, intent.result) == (IntentStatus.DONE, {"by": "alive"})


def test_retry_later_waits_for_retry_after_and_gives_up_after_the_last_attempt(intent):
    claimed = intent_claim_next(now=T0, policy=POLICY)
    assert claimed is not None
    assert intent_retry_later(intent=claimed, reason="Discord 429", retry_after=60, now=T0, policy=POLICY)
    intent.refresh_from_db()
    assert intent.not_before == T0 + timedelta(seconds=60)  # Retry-After beats the 10 s back-off
    assert intent_claim_next(now=T0 + timedelta(seconds=59), policy=POLICY) is None
    for attempt in (2, 3):
        claimed = intent_claim_next(now=T0 + timedelta(hours=attempt), policy=POLICY)
        assert claimed is not None and claimed.attempts == attempt
        retried = intent_retry_later(
            intent=claimed, reason="Discord 503", retry_after=None, now=T0 + timedelta(hours=attempt), policy=POLICY
        )
    assert retried is False
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED and "gave up after 3 attempts" in intent.reason
    assert intent_claim_next(now=T0 + timedelta(days=1), policy=POLICY) is None


def test_the_same_idempotency_key_is_one_intent(intent):
    again, created = intent_enqueue(
        club=intent.club, kind=IntentKind.MEMBER_SYNC, idempotency_key=intent.idempotency_key, now=T0
    )
    assert (again.id, created) == (intent.id, False)
    assert DiscordIntent.objects.count() == 1


def test_a_sharded_bot_takes_only_its_own_servers_intents():
    """A bot process that holds some shards cannot reach the other shards' servers (it has no gateway cache of
    them): their intents are left to the process that holds them instead of failing as "not on this server"."""
    on_shard = {
        0: Club.objects.create(guild_id=2 << 22, name="even"),
        1: Club.objects.create(guild_id=3 << 22, name="odd"),
    }
    for club in on_shard.values():
        intent_enqueue(club=club, kind=IntentKind.MEMBER_SYNC, now=T0)
    first = intent_claim_next(now=T0, policy=POLICY, shards=(2, frozenset({1})))
    assert first is not None and first.club_id == on_shard[1].id
    assert intent_claim_next(now=T0, policy=POLICY, shards=(2, frozenset({1}))) is None
    second = intent_claim_next(now=T0, policy=POLICY, shards=(2, frozenset({0})))
    assert second is not None and second.club_id == on_shard[0].id
