"""The adaptive schedule: when a driver is searched again, and the bounds on how late that can be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simlane.results.poller.policy import PollPolicy, next_poll_at

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
P = PollPolicy()


def due(last_race: datetime | None, recent: dict[str, float] | None = None, ends=None, cust_id: int = 7) -> datetime:
    return next_poll_at(
        now=NOW,
        cust_id=cust_id,
        last_race_at=last_race,
        recent_series=recent or {},
        series_ends=ends or {},
        policy=P,
    )


def test_an_active_driver_is_searched_just_after_their_series_next_session_ends():
    last = NOW - timedelta(hours=2)
    end = NOW + timedelta(minutes=12)
    assert due(last, {"1002": last.timestamp()}, {1002: [end, end + timedelta(hours=1)]}) == end + P.publish_margin


def test_a_session_ending_just_before_the_cap_is_not_searched_before_its_result_is_out():
    last = NOW - timedelta(hours=2)
    end = NOW + P.active_max  # ends exactly at the cap: searching at the cap would be too early
    assert due(last, {"1002": last.timestamp()}, {1002: [end]}) == end + P.publish_margin


def test_an_active_driver_without_known_sessions_is_searched_within_the_cap():
    assert due(NOW - timedelta(hours=3)) == NOW + P.active_max
    # Sessions of series they have not raced in the last day do not count.
    old = (NOW - timedelta(days=2)).timestamp()
    assert due(NOW - timedelta(hours=3), {"1001": old}, {1001: [NOW + timedelta(minutes=5)]}) == NOW + P.active_max


@pytest.mark.parametrize(
    ("last_race", "gap"),
    [(NOW - timedelta(days=3), P.recent_max), (NOW - timedelta(days=30), P.dormant_max), (None, P.dormant_max)],
)
def test_quiet_drivers_are_spread_over_the_last_quarter_of_their_bounded_gap(last_race, gap):
    times = {due(last_race, cust_id=c) for c in range(100_000, 100_200)}
    assert min(times) >= NOW + gap * 0.75
    assert max(times) <= NOW + gap
    assert len(times) > 150  # spread, not one burst
