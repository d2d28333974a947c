"""Swap offers in the service: two accepts at the same instant swap once, offers expire after 24 hours (on read and
by the sweep). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from simlane.racenumbers.models import AuditAction, AuditEntry, NumberClaim, NumberTrade, TradeStatus
from simlane.racenumbers.services import (
    NumbersError,
    TradeClosed,
    number_claim,
    number_config_update,
    trade_answer,
    trade_expire_due,
    trade_offer,
)
from simlane.racenumbers.tasks import expire_trades_task

G = 2000
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db(transaction=True)


def held() -> dict[int, str]:
    return dict(NumberClaim.objects.filter(guild_id=G, active=True).values_list("discord_user_id", "number"))


@pytest.fixture
def two_members() -> None:
    number_config_update(guild_id=G, actor_id=1, min_number=1, max_number=99)
    number_claim(guild_id=G, user_id=1, user_name="a", number="3")
    number_claim(guild_id=G, user_id=2, user_name="b", number="5")


@pytest.mark.usefixtures("two_members")
def test_two_accepts_at_the_same_instant_swap_exactly_once():
    for round_ in range(6):  # several rounds: each one a fresh offer, both presses released together
        before = held()
        trade = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def accept(trade_id: int = trade.id, barrier: threading.Barrier = barrier, out: list[str] = outcomes) -> None:
            barrier.wait()
            try:
                trade_answer(guild_id=G, trade_id=trade_id, user_id=2, accept=True, now=NOW)
                out.append("swapped")
            except NumbersError as exc:
                out.append(exc.message)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=accept) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == [
            "This offer is no longer open: it was already answered, the numbers were swapped.",
            "swapped",
        ], round_
        assert held() == {1: before[2], 2: before[1]}  # swapped once, not swapped back or cancelled
        assert NumberTrade.objects.get(id=trade.id).status == TradeStatus.DONE
    assert AuditEntry.objects.filter(guild_id=G, action=AuditAction.TRADE).count() == 2 * 6


@pytest.mark.usefixtures("two_members")
def test_an_offer_is_open_for_24_hours_then_expires_when_answered():
    trade = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW)
    assert trade.expires_at == NOW + timedelta(hours=24)
    late = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW)
    trade_answer(guild_id=G, trade_id=trade.id, user_id=2, accept=False, now=NOW + timedelta(hours=23, minutes=59))
    assert NumberTrade.objects.get(id=trade.id).status == TradeStatus.DECLINED

    with pytest.raises(TradeClosed, match="This offer expired"):
        trade_answer(guild_id=G, trade_id=late.id, user_id=2, accept=True, now=NOW + timedelta(hours=24))
    assert NumberTrade.objects.get(id=late.id).status == TradeStatus.EXPIRED  # committed, not rolled back
    assert held() == {1: "3", 2: "5"}
    assert not AuditEntry.objects.filter(action=AuditAction.TRADE).exists()


@pytest.mark.usefixtures("two_members")
def test_the_sweep_expires_only_offers_past_their_expiry():
    old = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW - timedelta(hours=25))
    answered = trade_offer(guild_id=G, from_user=2, to_user=1, now=NOW - timedelta(hours=25))
    trade_answer(guild_id=G, trade_id=answered.id, user_id=1, accept=False, now=NOW - timedelta(hours=24, minutes=30))
    fresh = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW - timedelta(hours=1))

    assert trade_expire_due(now=NOW) == 1
    statuses = dict(NumberTrade.objects.values_list("id", "status"))
    assert statuses == {old.id: TradeStatus.EXPIRED, answered.id: TradeStatus.DECLINED, fresh.id: TradeStatus.PENDING}
    assert trade_expire_due(now=NOW) == 0
    with pytest.raises(TradeClosed, match="This offer expired"):
        trade_answer(guild_id=G, trade_id=old.id, user_id=2, accept=True, now=NOW)


@pytest.mark.usefixtures("two_members")
def test_the_periodic_task_expires_offers_due_by_the_wall_clock():
    due = trade_offer(guild_id=G, from_user=1, to_user=2, now=timezone.now() - timedelta(hours=25))
    fresh = trade_offer(guild_id=G, from_user=1, to_user=2, now=timezone.now())
    assert expire_trades_task.delay().get() == 1  # no broker in tests: Celery runs it in process
    assert NumberTrade.objects.get(id=due.id).status == TradeStatus.EXPIRED
    assert NumberTrade.objects.get(id=fresh.id).status == TradeStatus.PENDING
