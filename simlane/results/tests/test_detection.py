"""Each detection path on a stopped clock: ratings sweeps, the fallback search, hosted and league followers."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import sync_to_async

from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.catalog import SERIES
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.routes import DataService
from simlane.iracing.simulator.world import Member
from simlane.results.models import DriverPollState, GuildResultsConfig, PostedResult, TrackedDriver
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, SubsessionFetcher
from simlane.results.poller.plan import make_plan

from .conftest import T0, ResultsWorld
from .test_poller import Recorder

pytestmark = pytest.mark.django_db(transaction=True)
HOURS = 3600.0
STEP = 120.0


def _unrated_share(w: ResultsWorld, share: float) -> None:
    """The share of races that move no rating in the simulator's member/get."""
    assert isinstance(w.sim.data, DataService)
    w.sim.data.members.ratings.unchanged_share = share


def _track(members: list[Member], *, league: bool = False) -> None:
    GuildResultsConfig.objects.create(guild_id=1, channel_id=500, include_league=league)
    since = datetime.fromtimestamp(T0, UTC)
    for m in members:
        TrackedDriver.objects.create(guild_id=1, cust_id=m.cust_id, display_name=m.display_name, tracked_since=since)


# This world has 600 members, so most sessions have fewer than six entrants: the poller would list them all as
# possibly unofficial. Tests of the other paths count their calls without that listing (tested on its own below).
NO_LISTING = PollPolicy(official_min_entries=0)


async def _run(w: ResultsWorld, hours: float, policy: PollPolicy = NO_LISTING) -> Recorder:
    """Cycles every two minutes from T0 (tracking starts at T0) for ``hours``."""
    recorder = Recorder(w)
    fetcher = SubsessionFetcher(w.client)
    outbox = Outbox(recorder, fetcher, now=w.now)
    poller = ResultsPoller(w.client, now=w.now, fetcher=fetcher, on_claims=outbox.drain, policy=policy)
    await _cycle_until(w, [poller], T0 + hours * HOURS, outbox=outbox)
    return recorder


def _races(w: ResultsWorld, members: list[Member], begin: float, end: float) -> set[tuple[int, int]]:
    return {(sub, m.cust_id) for m in members for sub in w.races(m, begin, end)}


async def _claimed() -> set[tuple[int, int]]:
    return {(p.subsession_id, p.cust_id) async for p in PostedResult.objects.all()}


async def _cycle_until(
    w: ResultsWorld,
    pollers: list[ResultsPoller],
    until: float,
    *,
    claim: tuple[int, int] | None = None,
    outbox: Outbox | None = None,
) -> float | None:
    """A cycle of each poller (then a drain) every two minutes up to ``until``, or until ``claim`` (subsession,
    driver) is in the ledger: when it was found, or None."""
    while w.clock.time() < until:
        for poller in pollers:
            await poller.cycle()
        if outbox is not None:
            await outbox.drain()
        if claim is not None and claim in await _claimed():
            return w.clock.time()
        w.clock.advance(STEP)
    return None


async def test_only_drivers_whose_ratings_moved_are_searched(results_world: ResultsWorld):
    w = results_world
    _unrated_share(w, 0.0)  # every race moves a rating
    members = w.sim.world.members[:200]
    await sync_to_async(_track)(members)

    await _run(w, 3)

    races = _races(w, members, T0, T0 + 3 * HOURS - 10 * 60)
    assert len(races) >= 5
    assert races <= await _claimed()
    # 200 drivers for three hours: fewer member/get than two (100 drivers each) every four minutes would cost, since
    # sweeps follow the sessions of each driver's series; a first search per driver (it learns their series), then
    # one search per race at most (a driver who raced is searched once for it; one who did not race is not).
    assert w.sim.counters["data:member/get"] < 2 * (3 * HOURS / 240 + 1)
    # (races that ended just before tracking started move ratings during the run too: searched, not posted)
    moved = _races(w, members, T0 - 10 * 60, T0 + 3 * HOURS)
    racers = {c for _, c in moved}
    assert w.sim.counters["data:results/search_series"] <= len(members) + len(moved)
    states = {s.cust_id: s async for s in DriverPollState.objects.all()}
    idle = [m.cust_id for m in members if m.cust_id not in racers]
    assert len(idle) > 150
    assert all(states[c].last_poll_at == datetime.fromtimestamp(T0, UTC) for c in idle), (
        "a driver who did not race was searched"
    )
    assert w.sim.counters["data:results/get"] <= len({sub for sub, _ in races}) + 2


async def test_a_race_that_moves_no_rating_is_found_by_the_fallback_search(results_world: ResultsWorld):
    w = results_world
    _unrated_share(w, 1.0)  # no race moves a rating: only the fallback finds them
    member = next(m for m in w.sim.world.members if w.races(m, T0, T0 + 2 * HOURS))
    await sync_to_async(_track)([member])

    await _run(w, PollPolicy().fallback_dormant / timedelta(hours=1) + 3)  # the longest safety-net gap

    races = _races(w, [member], T0, T0 + 2 * HOURS)
    assert races and races <= await _claimed()


async def test_league_followers_are_still_searched_for_races_that_move_no_rating(results_world: ResultsWorld):
    w = results_world
    league = w.sim.world.leagues[0]
    roster = {c for c, _ in league.roster}
    member = next(m for m in w.sim.world.members if m.cust_id in roster)
    await sync_to_async(_track)([member], league=True)

    await _run(w, 10)  # the league races daily at 19:00 UTC (T0 is noon): found within its two-hour search gap

    league_posts = [p async for p in PostedResult.objects.filter(cust_id=member.cust_id, subsession_id__lt=90_000_000)]
    assert len(league_posts) == 1
    assert w.sim.counters["data:results/search_hosted"] > 0


def test_the_plan_counts_sweeps_fallbacks_and_hosted_searches():
    now = datetime.fromtimestamp(T0, UTC)
    policy = PollPolicy()
    quiet = make_plan(
        now=now, last_races=dict.fromkeys(range(20_000)), searchers=set(), changes_per_minute=0, policy=policy
    )
    # Nobody raced: 200 member/get every 90 minutes, and one safety-net search every 48 hours per driver.
    assert quiet.need_per_minute == pytest.approx(200 / 90 + 20_000 / (48 * 60))
    assert quiet.shortfall == 0 and quiet.stretch == 1.0
    league = make_plan(now=now, last_races={1: None}, searchers={1}, changes_per_minute=3, policy=policy)
    # a share of a sweep, a series and a hosted search every two hours, a search and a fetch per change
    assert league.need_per_minute == pytest.approx(1 / 100 / 90 + 2 / 120 + 2 * 3)
    # Sweeps after the sessions of the drivers' known series come on top.
    busy = make_plan(
        now=now,
        last_races={1: None},
        searchers=set(),
        changes_per_minute=0,
        policy=policy,
        event_sweeps_per_minute=4.5,
    )
    assert busy.need_per_minute == pytest.approx(4.5 + 1 / 100 / 90 + 1 / (48 * 60))


async def test_a_short_budget_is_reported_and_every_driver_is_slowed_alike(results_world: ResultsWorld, caplog):
    w = results_world
    members = w.sim.world.members[:300]
    await sync_to_async(_track)(members)
    # 300 drivers who never raced: three member/get every 90 minutes and a search every 48 hours each need 0.14 calls
    # a minute; the budget allows 0.04.
    policy = PollPolicy(budget_per_minute=0.04)
    poller = ResultsPoller(w.client, now=w.now, policy=policy)

    with caplog.at_level(logging.WARNING, logger="simlane.results.poller.plan"):
        report = await poller.cycle()

    assert report.need_per_minute == pytest.approx(3 / 90 + 300 / (48 * 60))
    assert report.shortfall_per_minute == pytest.approx(report.need_per_minute - 0.04)
    assert "300 drivers need 0.14 Data API calls a minute but the budget is 0.04 (short by 0.10)" in caplog.text
    # Evenly: every driver's next sweep and next safety-net search are the same factor further away.
    stretch = report.need_per_minute / 0.04
    unsearched = [s.cust_id async for s in DriverPollState.objects.filter(last_poll_at=None)]
    offsets = [poller.watch._next_sweep[c] - T0 for c in unsearched]
    assert len(offsets) >= 290
    assert all(0.75 * 90 * 60 * stretch <= o <= 90 * 60 * stretch + 1 for o in offsets)
    gaps = [(s.next_poll_at - w.now()).total_seconds() async for s in DriverPollState.objects.all() if s.next_poll_at]
    assert gaps and min(gaps) >= 18 * HOURS * stretch


async def test_drivers_are_spread_over_several_accounts_each_on_its_own_budget(results_world: ResultsWorld):
    """A second account: a simulator of its own (its own rate bucket) serving the same world on the same clock."""
    w = results_world
    _unrated_share(w, 0.0)
    second = Simulator(SimulatorConfig(members=600, seed=3, result_delay=30.0), clock=w.clock)
    assert isinstance(second.data, DataService)
    second.data.members.ratings.unchanged_share = 0.0
    await second.start()
    members = w.sim.world.members[:400]
    await sync_to_async(_track)(members)
    try:
        async with IRacingClient(demo_client_config(second.base_url), clock=w.clock) as other:
            recorder = Recorder(w)
            fetcher = SubsessionFetcher(w.client)
            outbox = Outbox(recorder, fetcher, now=w.now)
            poller = ResultsPoller(w.client, now=w.now, fetcher=fetcher, on_claims=outbox.drain, accounts=[other])
            while w.clock.time() < T0 + 3 * HOURS:
                report = await poller.cycle()
                await outbox.drain()
                w.clock.advance(STEP)
    finally:
        await second.stop()

    races = _races(w, members, T0, T0 + 3 * HOURS - 10 * 60)
    assert len(races) >= 10 and races <= await _claimed()
    one, two = (s.counters["data:member/get"] for s in (w.sim, second))
    # 400 drivers, about 200 per account: each account reads its own share's ratings, and together they spend less
    # than two batches of 100 each every four minutes would.
    assert one > 3 and two > 3
    assert one + two < 2 * 2 * 3 * HOURS / 240
    searches = [s.counters["data:results/search_series"] for s in (w.sim, second)]
    assert min(searches) > 0
    assert report.budget_per_minute == 2 * PollPolicy().budget_per_minute


def _series_switch(w: ResultsWorld) -> tuple[Member, int, float]:
    """A driver who races their second series in the run without having raced it in the week before tracking."""
    world = w.sim.world
    for m in world.members:
        if m.second_index < 0:
            continue
        before = [s for s in world.member_sessions(m, T0 - 7 * 86400, T0) if s.series_index == m.second_index]
        after = [
            s
            for s in world.member_sessions(m, T0 + HOURS, T0 + 12 * HOURS)
            if s.series_index == m.second_index and world.split_of(m, s) is not None
        ]
        if not before and after:
            split = world.split_of(m, after[0])
            assert split is not None
            return m, after[0].subsession_id(split), float(after[0].end)
    raise AssertionError("no driver switches series in this world")


async def test_a_race_in_a_series_new_to_the_driver_is_found_by_the_capped_sweep(results_world: ResultsWorld):
    w = results_world
    _unrated_share(w, 0.0)
    member, sub, end = _series_switch(w)
    await sync_to_async(_track)([member])
    fetcher = SubsessionFetcher(w.client)
    outbox = Outbox(Recorder(w), fetcher, now=w.now)
    poller = ResultsPoller(w.client, now=w.now, fetcher=fetcher, on_claims=outbox.drain)

    found_at = await _cycle_until(w, [poller], end + 3 * HOURS, claim=(sub, member.cust_id), outbox=outbox)

    # The race guide never pointed at that series for them: the sweep at their activity cap saw the ratings move,
    # long before the safety-net search (18 h or more).
    assert found_at is not None
    assert found_at - end <= PollPolicy().sweep_dormant.total_seconds() + 180 + 2 * STEP


async def test_one_teammates_result_posts_the_other_with_one_fetch(results_world: ResultsWorld):
    w = results_world
    _unrated_share(w, 0.0)
    world = w.sim.world
    team = next(i for i, s in enumerate(SERIES) if s.team)
    session = next(
        s for s in world.sessions_between(team, T0, T0 + 12 * HOURS) if world.splits(s) and len(world.splits(s)[0]) >= 2
    )
    first, second = world.splits(session)[0][:2]  # teams are pairs of neighbours in a split
    await sync_to_async(_track)([first, second])
    sub = session.subsession_id(0)

    await _run(w, (session.end - T0) / HOURS + 0.5)

    assert {(sub, first.cust_id), (sub, second.cust_id)} <= await _claimed()
    # Each race of the two fetched once, the team race included (both are in it).
    races = {s for s, _ in _races(w, [first, second], T0, session.end)}
    assert w.sim.counters["data:results/get"] == len(races)


def _small_session_race(w: ResultsWorld) -> tuple[Member, int, float]:
    """A driver racing in an unofficial session (fewer than six entrants) an hour or more into the run, who raced
    that series in the week before tracking (so the poller knows they follow it)."""
    world = w.sim.world
    for m in world.members:
        if not world.member_sessions(m, T0 - 7 * 86400, T0):
            continue
        for s in world.member_sessions(m, T0 + HOURS, T0 + 6 * HOURS):
            split = world.split_of(m, s)
            if s.series_index == m.series_index and split is not None and not world.is_official(s):
                return m, s.subsession_id(split), float(s.end)
    raise AssertionError("no driver races an unofficial session in this world")


async def _track_small_session_racer(w: ResultsWorld) -> tuple[Member, int, float]:
    """Sessions under six entrants unofficial (they move no rating; every official race moves one), and a driver
    who races in one tracked: (driver, its subsession, its end)."""
    _unrated_share(w, 0.0)
    w.sim.world.official_min = 6
    member, sub, end = _small_session_race(w)
    await sync_to_async(_track)([member])
    return member, sub, end


async def test_an_unofficial_race_is_found_by_listing_the_small_session(results_world: ResultsWorld):
    w = results_world
    member, sub, end = await _track_small_session_racer(w)
    fetcher = SubsessionFetcher(w.client)
    outbox = Outbox(Recorder(w), fetcher, now=w.now)
    poller = ResultsPoller(w.client, now=w.now, fetcher=fetcher, on_claims=outbox.drain)

    found_at = await _cycle_until(w, [poller], end + 3 * HOURS, claim=(sub, member.cust_id), outbox=outbox)

    assert isinstance(w.sim.data, DataService)
    # No sweep could have seen it: the race moved none of the driver's ratings ...
    assert w.sim.data.members.ratings.newest_race(member, w.clock.time()) != sub
    # ... yet it was posted within minutes of its result, not by the safety-net search a day later.
    assert found_at is not None
    assert found_at - end <= PollPolicy().publish_margin.total_seconds() + 2 * STEP
    result = await fetcher.get(sub)
    assert result is not None and result.official_session is False


async def test_small_sessions_cost_a_listing_and_a_fetch_each_not_a_call_every_cycle(results_world: ResultsWorld):
    """The listing's cost in a world where most sessions are small: one driver, twelve hours."""
    w = results_world
    _unrated_share(w, 0.0)
    world = w.sim.world
    world.official_min = 6
    # A driver of a series with a session every 30 minutes, in this small world mostly under six entrants or empty.
    member = next(
        m
        for m in world.members
        if SERIES[m.series_index].repeat_minutes == 30
        and m.second_index < 0
        and world.member_sessions(m, T0 - 7 * 86400, T0)
    )
    await sync_to_async(_track)([member])

    await _run(w, 12, policy=PollPolicy())

    sessions = [
        s
        for index in world.series_of(member)  # their home series, and a second one if they race one
        for s in world.sessions_between(index, T0, T0 + 12 * HOURS)
        if s.end <= T0 + 12 * HOURS - 10 * 60  # listed a minute after the end: all before the run's end
    ]
    raced = [s for s in sessions if 0 < world.entries(s) < 6]
    empty = [s for s in sessions if world.entries(s) == 0]
    listings = w.sim.counters["data:results/search_series:listing"]
    assert len(raced) >= 10 and empty
    # Each small session that was raced is listed once (its result is out within the margin); an empty one is let
    # go when the guide shows its final count of 0, never listed every cycle (the run has 360 cycles).
    assert len(raced) <= listings <= len(raced) + 2
    # One fetch per race found, each race once.
    assert w.sim.counters["data:results/get"] <= listings + len(_races(w, [member], T0 - HOURS, T0 + 12 * HOURS))
    assert _races(w, [member], T0, T0 + 12 * HOURS - 10 * 60) <= await _claimed()


async def test_a_small_session_whose_result_fails_to_fetch_is_listed_again_later(results_world: ResultsWorld):
    w = results_world
    member, sub, end = await _track_small_session_racer(w)
    fetcher = SubsessionFetcher(w.client)
    poller = ResultsPoller(w.client, now=w.now, fetcher=fetcher)

    await _cycle_until(w, [poller], end + STEP)  # up to the first listing, which fetches the race: iRacing fails it
    w.sim.faults.add("500", endpoint="results/get", count=8)
    found_at = await _cycle_until(w, [poller], end + 2 * HOURS, claim=(sub, member.cust_id))

    assert found_at is not None and found_at - end <= 30 * 60  # a retry after a back-off, not the fallback's day


async def test_with_partitions_the_drivers_own_partition_lists_their_small_sessions(results_world: ResultsWorld):
    w = results_world
    member, sub, end = await _track_small_session_racer(w)
    fetcher = SubsessionFetcher(w.client)
    pollers = [ResultsPoller(w.client, now=w.now, fetcher=fetcher, partition=(i, 2)) for i in range(2)]

    found_at = await _cycle_until(w, pollers, end + HOURS, claim=(sub, member.cust_id))

    # Whichever partition the driver and the series fall in (a series is not assigned to a partition).
    assert found_at is not None and found_at - end <= PollPolicy().publish_margin.total_seconds() + 2 * STEP
    assert w.sim.counters["data:results/search_series:listing"] <= 2 * len(
        [s for s in w.sim.world.sessions_between(member.series_index, T0, end) if 0 < w.sim.world.entries(s) < 6]
    )


async def test_a_small_session_seen_by_one_worker_is_listed_by_the_next_from_the_snapshot(results_world: ResultsWorld):
    w = results_world
    member, sub, end = await _track_small_session_racer(w)
    fetcher = SubsessionFetcher(w.client)
    first = ResultsPoller(w.client, now=w.now, fetcher=fetcher)
    await _cycle_until(w, [first], end - STEP)  # the first worker saw the session in the guide, stops before its end
    snapshot = json.loads(json.dumps(first.snapshot()))  # as the partition row stores it

    second = ResultsPoller(w.client, now=w.now, fetcher=fetcher)
    second.restore(snapshot)
    await _cycle_until(w, [second], end + 2 * STEP)

    # The race guide no longer lists an ended session: only the snapshot told the second worker about it.
    assert (sub, member.cust_id) in await _claimed()
