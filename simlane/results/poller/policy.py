"""When to search a driver again: the adaptive schedule, as pure functions.

The assumptions about iRacing behind it (docs/poller.md has the reasoning; the simulator models each one):

1. A race can only appear in a driver's search results after its session ends, and it appears within
   ``publish_margin`` of the end (the simulator's ``result_delay``). A later one is still found, because every
   search window overlaps the previous one by ``overlap``.
2. Official sessions run on the published schedule: ``season/race_guide`` lists every session starting in the next
   three hours with its end time (one call serves every driver).
3. Drivers who raced recently race again soon, mostly in the series they raced recently; drivers who have not
   raced for days rarely start again in the next hour. So an active driver is searched right after each session
   of their recent series ends, and at least every ``active_max``; others every ``recent_max`` or
   ``dormant_max``. Those maxima bound the delay for a driver whose habits change.
4. A driver is in one session at a time: when another tracked driver's result shows them in a race that covered
   the time since their last search, that race is their news; they need no search of their own for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class PollPolicy:
    # One poller cycle: ir2dis's POLL_INTERVAL_SEC, so both pollers look equally often.
    interval: timedelta = timedelta(seconds=120)
    publish_margin: timedelta = timedelta(seconds=60)
    overlap: timedelta = timedelta(minutes=30)
    # The first search of a newly tracked driver looks this far back (one call, iRacing allows 90 days): it posts
    # nothing from before the tracking but learns which series they race, so their sweeps follow those series.
    first_window: timedelta = timedelta(days=7)
    active_window: timedelta = timedelta(hours=24)
    active_max: timedelta = timedelta(minutes=30)
    recent_window: timedelta = timedelta(days=7)
    recent_max: timedelta = timedelta(minutes=60)
    dormant_max: timedelta = timedelta(minutes=120)
    # Change detection (strategy F): member/get with many cust_ids shows each driver's ratings; a change means an
    # official race finished, and only then is the driver searched.
    ratings_batch: int = 100  # cust_ids per member/get call (iRacing documents no maximum: an assumption)
    # Sweeps follow the races: a driver's ratings are read ``ratings_lag`` after each session of a series they
    # raced within ``series_memory`` ends (the race guide gives the end times; the lag covers the result's delay
    # and member data's caching), and at the latest every ``sweep_active``/``sweep_recent``/``sweep_dormant`` by
    # how recently they raced: the bound for a race in a series they are not known to race.
    ratings_lag: timedelta = timedelta(seconds=180)
    series_memory: timedelta = timedelta(days=14)  # series learnt from races, first search included
    sweep_active: timedelta = timedelta(minutes=15)
    sweep_recent: timedelta = timedelta(minutes=30)
    sweep_dormant: timedelta = timedelta(minutes=90)
    # A ratings change first seen this soon after a race already handled through a teammate's or rival's result is
    # that race's (a second race cannot start and finish in between): no search.
    explain_window: timedelta = timedelta(minutes=15)
    # Searches without a ratings change, for races that move no rating (rare: a clean race at the top safety
    # rating with an unchanged iRating) and as a safety net; drivers followed for hosted or league races keep the
    # schedule above, since those races never move ratings. Such a race is usually found sooner, through the
    # result of another tracked driver in it.
    fallback_active: timedelta = timedelta(hours=24)
    fallback_recent: timedelta = timedelta(hours=48)
    fallback_dormant: timedelta = timedelta(hours=48)
    # A session with fewer entrants than iRacing's usual minimum for a ranked race (6; a series may set another)
    # runs unofficial and moves no rating, so no sweep sees it: a session the race guide shows that small is listed
    # as a whole (one series search) after it ends and each of its races fetched, for every tracked driver at once.
    # Its result may be late: the listing is retried each cycle for ``small_session_patience`` after the end.
    official_min_entries: int = 6
    small_session_patience: timedelta = timedelta(hours=2)
    # Data API calls a minute the poller may plan for, per account: iRacing's 240, less a fifth kept free for
    # interactive lookups (slash-command autocomplete, /track) so they never queue behind a pass.
    budget_per_minute: float = 240 * 0.8

    def is_active(self, now: datetime, last_race_at: datetime | None) -> bool:
        return last_race_at is not None and now - last_race_at <= self.active_window


def fallback_at(*, now: datetime, cust_id: int, last_race_at: datetime | None, policy: PollPolicy) -> datetime:
    """When a driver watched through their ratings is searched anyway (spread per driver, at most the gap)."""
    if policy.is_active(now, last_race_at):
        gap = policy.fallback_active
    elif last_race_at is not None and now - last_race_at <= policy.recent_window:
        gap = policy.fallback_recent
    else:
        gap = policy.fallback_dormant
    spread = (cust_id * 2654435761 % 2**32) / 2**32
    return now + gap * (0.75 + 0.25 * spread)


def sweep_at(
    *,
    now: datetime,
    cust_id: int,
    last_race_at: datetime | None,
    known_series: Iterable[int],
    series_ends: Mapping[int, Sequence[datetime]],
    policy: PollPolicy,
    stretch: float = 1.0,
) -> datetime:
    """When a driver's ratings are read next: after the next session of a series they race, or at the cap."""
    if policy.is_active(now, last_race_at):
        gap = policy.sweep_active
    elif last_race_at is not None and now - last_race_at <= policy.recent_window:
        gap = policy.sweep_recent
    else:
        gap = policy.sweep_dormant
    spread = (cust_id * 2654435761 % 2**32) / 2**32
    cap = now + gap * (0.75 + 0.25 * spread) * stretch
    after = [
        e + policy.ratings_lag for s in known_series for e in series_ends.get(s, ()) if e + policy.ratings_lag > now
    ]
    first = min(after, default=None)
    return first if first is not None and first < cap else cap


def recent_series_ids(recent: Mapping[str, float], now: datetime, policy: PollPolicy) -> list[int]:
    """Series the driver raced in within the active window."""
    horizon = (now - policy.active_window).timestamp()
    return [int(k) for k, ts in recent.items() if ts >= horizon]


def next_poll_at(
    *,
    now: datetime,
    cust_id: int,
    last_race_at: datetime | None,
    recent_series: Mapping[str, float],
    series_ends: Mapping[int, Sequence[datetime]],
    policy: PollPolicy,
) -> datetime:
    """The earliest time the driver is worth searching again."""
    if policy.is_active(now, last_race_at):
        cap = now + policy.active_max
        after_ends = [
            e + policy.publish_margin
            for series_id in recent_series_ids(recent_series, now, policy)
            for e in series_ends.get(series_id, ())
            if e + policy.publish_margin > now
        ]
        first = min(after_ends, default=None)
        # A session ending just before the cap would be searched before its result is out: stretch the cap to the
        # moment after that end instead (by at most ``publish_margin``).
        return first if first is not None and first <= cap + policy.publish_margin else cap
    assert policy.recent_window > policy.active_window
    recent = last_race_at is not None and now - last_race_at <= policy.recent_window
    gap = policy.recent_max if recent else policy.dormant_max
    # Spread quiet drivers over the last quarter of their gap so they do not all come due in the same cycle
    # (a burst would delay the searches of active drivers behind it); the maximum delay stays ``gap``.
    spread = (cust_id * 2654435761 % 2**32) / 2**32  # Knuth's multiplicative hash: stable across runs
    return now + gap * (0.75 + 0.25 * spread)
