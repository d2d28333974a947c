"""The poller on a stopped clock against the iRacing simulator: what it counts, when it posts, what a crash keeps."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from simlane.core.db import close_async_connections
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.catalog import SERIES
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.world import Member
from simlane.results.models import DriverPollState, GuildResultsConfig, PostedResult, TrackedDriver
from simlane.results.poller import Outbox, ResultsPoller, SubsessionFetcher
from simlane.results.poller.outbox import CARD_FILENAME

from .conftest import T0, ResultsWorld

pytestmark = pytest.mark.django_db(transaction=True)
HOURS = 3600.0


class Recorder:
    """Discord for these tests: records each post with the number of driver searches made before it."""

    def __init__(self, world: ResultsWorld | None) -> None:
        self.world = world
        self.sent: list[tuple[str, int]] = []  # nonce, searches so far

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = CARD_FILENAME,
    ) -> int:
        searches = self.world.sim.counters["data:results/search_series"] if self.world else 0
        self.sent.append((nonce, searches))
        return len(self.sent)

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None:
        return None

    async def notify_admins(self, *, guild_id: int, text: str) -> None:
        return None


def _track(members: list[Member], since: datetime) -> None:
    for i, m in enumerate(members):
        GuildResultsConfig.objects.create(guild_id=i + 1, channel_id=500 + i)
        TrackedDriver.objects.create(
            guild_id=i + 1, cust_id=m.cust_id, display_name=m.display_name, tracked_since=since
        )


def _racers(w: ResultsWorld, count: int, begin: float, end: float) -> list[Member]:
    """Members with at least one finished race in (begin, end], each in a different race."""
    out: list[Member] = []
    seen: set[int] = set()
    for m in w.sim.world.members:
        races = w.races(m, begin, end)
        if races and not races & seen:
            out.append(m)
            seen |= races
        if len(out) == count:
            return out
    raise AssertionError("not enough racers in the simulated world")


def _poller(w: ResultsWorld, publisher: Recorder) -> tuple[ResultsPoller, Outbox]:
    fetcher = SubsessionFetcher(w.client)
    outbox = Outbox(publisher, fetcher, now=w.now)
    return ResultsPoller(w.client, now=w.now, fetcher=fetcher, on_claims=outbox.drain), outbox


async def test_every_claim_is_counted_when_searches_run_concurrently(results_world: ResultsWorld):
    w = results_world
    since = datetime.fromtimestamp(T0 - 6 * HOURS, UTC)
    racers = _racers(w, 12, T0 - 6 * HOURS, T0 - 60)
    await sync_to_async(_track)(racers, since)
    poller, _ = _poller(w, Recorder(w))

    report = await poller.cycle()

    claimed = await PostedResult.objects.acount()
    assert claimed >= 12
    assert report.claims == claimed  # four searches at a time, every claim of each counted


async def test_results_are_posted_as_they_are_found_not_after_the_pass(results_world: ResultsWorld):
    w = results_world
    since = datetime.fromtimestamp(T0 - 6 * HOURS, UTC)
    racers = _racers(w, 12, T0 - 6 * HOURS, T0 - 60)
    await sync_to_async(_track)(racers, since)
    recorder = Recorder(w)
    poller, _ = _poller(w, recorder)

    await poller.cycle()

    assert len(recorder.sent) == await PostedResult.objects.acount() >= 12
    # The first result went out while most of the pass's searches were still to come.
    assert recorder.sent[0][1] < len(racers) // 2


async def test_a_crash_mid_pass_keeps_each_finished_search_and_its_claims(results_world: ResultsWorld):
    w = results_world
    since = datetime.fromtimestamp(T0 - 6 * HOURS, UTC)
    racers = _racers(w, 12, T0 - 6 * HOURS, T0 - 60)
    await sync_to_async(_track)(racers, since)
    first = Recorder(w)
    poller, _ = _poller(w, first)

    # The process dies half-way through the pass (cancelled at whatever await it is in, like a kill).
    cycle = asyncio.ensure_future(poller.cycle())
    # The simulator serves on this event loop: yielding is what lets the searches run (no clock time passes).
    while w.sim.counters["data:results/search_series"] < len(racers) // 2:  # noqa: ASYNC110
        await asyncio.sleep(0)
    cycle.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cycle

    # The search that found the first result is saved with its claims; a restart neither repeats it nor loses it.
    saved = [s async for s in DriverPollState.objects.filter(last_poll_at=w.now())]
    assert saved, "the poll state of a finished search was lost with the crash"
    assert await PostedResult.objects.acount() >= 1
    recorder = Recorder(w)
    restarted, outbox = _poller(w, recorder)
    before = w.sim.counters["data:results/search_series"]
    w.clock.advance(1)
    await restarted.cycle()
    await outbox.drain()  # the runner's drain after each cycle posts what the crash left claimed
    assert w.sim.counters["data:results/search_series"] - before <= len(racers) - len(saved)
    posted = {n for n, _ in first.sent + recorder.sent}
    assert len(posted) == len(first.sent) + len(recorder.sent), "a result was posted twice"
    assert posted == {p.nonce async for p in PostedResult.objects.all()}
    assert len(posted) >= 12


async def test_a_race_in_a_fifth_split_is_found_and_posted(transactional_db: None):
    """Thousands of members in one series fill more than four splits: each split is a race of its own."""
    clock = SimClock(start=T0, speed=0)
    sim = Simulator(SimulatorConfig(members=5000, seed=1, result_delay=30.0), clock=clock)
    world = sim.world
    found = None
    for index in range(len(SERIES)):
        for session in world.sessions_between(index, T0 - 6 * HOURS, T0 - 3 * HOURS):
            if len(world.splits(session)) >= 5:
                found = session, world.splits(session)[4][0]
                break
        if found:
            break
    assert found is not None, "no session with five splits in the simulated world"
    session, member = found
    await sim.start()
    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=clock) as client:
            await sync_to_async(_track)([member], datetime.fromtimestamp(T0 - 6 * HOURS, UTC))
            now = lambda: datetime.fromtimestamp(clock.time(), UTC)  # noqa: E731
            fetcher = SubsessionFetcher(client)
            recorder = Recorder(None)
            outbox = Outbox(recorder, fetcher, now=now)
            await ResultsPoller(client, now=now, fetcher=fetcher, on_claims=outbox.drain).cycle()
    finally:
        await sim.stop()
        await close_async_connections()
    claimed = {p.subsession_id async for p in PostedResult.objects.filter(cust_id=member.cust_id)}
    assert session.subsession_id(4) in claimed
    assert len(recorder.sent) == await PostedResult.objects.acount()
