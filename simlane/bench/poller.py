"""Benchmark: SimLane's results poller against ir2dis's per-driver algorithm, on the same simulated world, in one run.

Both run against the iRacing simulator on a stopped clock that moves by ``rate_window / rate_limit`` per /data
request (the request cost of a client that spends its whole budget: 240 requests a minute) and jumps to the next
poll cycle when a poller is idle. So simulated time passes exactly as the rate budget allows, and a 24-hour day
takes minutes. Both claim and post through the same ledger and outbox into a recorder; only detection differs.

Measured per strategy: Data API (/data) calls per posted result, detection delay (simulated seconds from a race's
end to its post) p50/p95 overall and for drivers who raced in the previous 24 hours, duplicates and misses against
the world's ground truth (every race of every tracked driver that ended in the measured window).

The poller starts ``warmup`` before the measured window, as a bot that has run for a while (drivers are tracked from
the window's start, so nothing from the warm-up is posted): each driver's first search, which learns the series they
race, happens there. Calls are counted over the measured window only (the warm-up's are printed apart). The
simulated world has four members for every tracked driver, so a race holds untracked drivers too.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from simlane.bench import aio
from simlane.bench.baseline_poller import BaselinePoller
from simlane.cards.post import LapFetcher
from simlane.core.db import close_async_connections
from simlane.core.shards import Shards
from simlane.iracing.client import IRacingClient
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.world import World
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, SubsessionFetcher
from simlane.results.poller.outbox import CARD_FILENAME, Publisher

T0 = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
RATE_LIMIT = 240  # /data requests per 60 s (iRacing's x-ratelimit-limit)
RESULT_DELAY = 30.0  # simulated seconds from the chequered flag to a searchable result
CHANNEL_OFFSET = 1_000_000
WORLD_PER_DRIVER = 4  # simulated members per tracked driver
OFFICIAL_MIN_ENTRIES = 6  # smaller sessions are unofficial and move no rating, as on iRacing


@dataclass
class StrategyResult:
    name: str
    calls: int = 0
    posted: int = 0
    duplicates: int = 0
    misses: int = 0
    expected: int = 0
    delays: list[float] = field(default_factory=list)
    delays_recent: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    lap_calls: int = 0  # results/lap_chart_data and lap_data, fetched for the race cards' charts
    warmup_calls: int = 0
    outside: int = 0  # posts of races that ended after the window (found in the tail; not measured)
    slowest: list[tuple[float, int, int]] = field(default_factory=list)  # (delay, subsession, cust_id)
    missed: list[tuple[float, int, int]] = field(default_factory=list)  # (race end, subsession, cust_id), first few

    @property
    def calls_per_post(self) -> float:
        """Without charts: finding and fetching results."""
        return self.calls / max(1, self.posted)

    @property
    def calls_per_post_with_charts(self) -> float:
        return (self.calls + self.lap_calls) / max(1, self.posted)

    @staticmethod
    def pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


@dataclass(frozen=True)
class Scenario:
    drivers: int
    guilds: int
    hours: float
    seed: int = 1
    interval: float = 120.0
    tail_hours: float = 2.25  # keep polling after the window so the slowest allowed detection still lands
    accounts: int = 1
    rate_limit: int = RATE_LIMIT  # /data requests a minute per account

    @property
    def warmup_hours(self) -> float:
        """Long enough for every driver's first search on the budget (about 150 a minute per account)."""
        return 0.5 + self.drivers / (0.6 * self.rate_limit * 60 * self.accounts)

    def subscriptions(self, world: World) -> list[tuple[int, int]]:
        """(guild index, cust_id): every driver in one server, one in five also in the next server."""
        pairs = []
        for i, m in enumerate(world.members[: self.drivers]):
            g = i % self.guilds
            pairs.append((g, m.cust_id))
            if i % 5 == 0 and self.guilds > 1:
                pairs.append(((g + 1) % self.guilds, m.cust_id))
        return pairs


class LapsOnly:
    """The race cards' iRacing calls without the drawing: this benchmark counts calls, not pixels."""

    def __init__(self, laps: LapFetcher) -> None:
        self.laps = laps

    async def render_for_server(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> bytes | None:
        await self.laps.race(result, cust_id)
        return None

    async def claim_highlight(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> None:
        return None

    async def drain_highlights(
        self, publisher: Publisher, fetcher: SubsessionFetcher, *, now: datetime, shards: Shards | None = None
    ) -> int:
        return 0

    async def drain_digests(self, publisher: Publisher, now: datetime, *, shards: Shards | None = None) -> int:
        return 0


class Recorder:
    """The benchmark's Discord: records what was posted, when (simulated time), and for whom."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.sent: list[tuple[str, float]] = []  # nonce, time
        self.posts: list[tuple[int, int, int, float]] = []  # guild, subsession, cust, time (after ``resolve``)

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = CARD_FILENAME,
    ) -> int:
        self.sent.append((nonce, self.clock.time()))
        return len(self.sent)

    async def resolve(self) -> None:
        """Which ledger row each post was, read once at the end (a read per post was a tenth of a run's work)."""
        keys = await aio.posted_keys(nonces=sorted({nonce for nonce, _ in self.sent}))
        self.posts = [(*keys[nonce], t) for nonce, t in self.sent]

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None:
        return None

    async def notify_admins(self, *, guild_id: int, text: str) -> None:
        return None


def ground_truth(scenario: Scenario, world: World) -> dict[tuple[int, int, int], tuple[float, bool]]:
    """(guild, subsession, cust) -> (race end, raced in the 24 h before) for every race in the measured window."""
    begin, end = T0.timestamp(), T0.timestamp() + scenario.hours * 3600
    races: dict[int, list[tuple[int, float]]] = {}
    for m in world.members[: scenario.drivers]:
        out = []
        for session in world.member_sessions(m, begin - 2 * 86400, end):
            split = world.split_of(m, session)
            if split is not None:
                out.append((session.subsession_id(split), float(session.end)))
        races[m.cust_id] = out
    truth = {}
    for g, c in scenario.subscriptions(world):
        ends = [e for _, e in races[c]]
        for sub, e in races[c]:
            if begin < e <= end:
                recent = any(e - 86400 <= other < e for other in ends)
                truth[(g + 1, sub, c)] = (e, recent)
    return truth


async def _run_strategy(name: str, scenario: Scenario, progress: Callable[[str], None]) -> StrategyResult:
    import time

    warmup = scenario.warmup_hours * 3600
    clock = SimClock(start=T0.timestamp() - warmup, speed=0)
    config = SimulatorConfig(
        seed=scenario.seed,
        members=max(2000, WORLD_PER_DRIVER * scenario.drivers),
        rate_limit=10**9,  # the request cost below models the budget; no 429s
        # Each account has its own budget: N accounts spend N times as many requests in the same time.
        request_cost=60.0 / (scenario.rate_limit * scenario.accounts),
        result_delay=RESULT_DELAY,
        official_min_entries=OFFICIAL_MIN_ENTRIES,
    )
    sim = Simulator(config, clock=clock)
    await sim.start()
    world = sim.world
    await aio.results_reset(
        channels={g + 1: CHANNEL_OFFSET + g + 1 for g in range(scenario.guilds)},
        subscriptions=[(g + 1, c, world.by_id[c].display_name) for g, c in scenario.subscriptions(world)],
        tracked_since=T0,
    )
    recorder = Recorder(clock)
    started = time.perf_counter()
    result = StrategyResult(name)
    extra = [IRacingClient(demo_client_config(sim.base_url), clock=clock) for _ in range(scenario.accounts - 1)]
    calls_at_start: tuple[int, int] | None = None  # (all /data calls, lap fetches) when the window opens
    calls_at_end: tuple[int, int] | None = None

    def laps() -> int:
        return sim.counters["data:results/lap_chart_data"] + sim.counters["data:results/lap_data"]

    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=clock) as client:
            fetcher = SubsessionFetcher(client)
            now = clock.now
            poller: ResultsPoller | BaselinePoller = (
                ResultsPoller(
                    client,
                    now=now,
                    policy=PollPolicy(
                        interval=timedelta(seconds=scenario.interval),
                        budget_per_minute=0.8 * scenario.rate_limit,
                    ),
                    accounts=extra,
                )
                if name == "SimLane"
                else BaselinePoller(client, now=now)
            )
            outbox = Outbox(recorder, fetcher, now=now, cards=LapsOnly(LapFetcher(client)))
            stop = T0.timestamp() + (scenario.hours + scenario.tail_hours) * 3600
            shown = -1
            window_end = T0.timestamp() + scenario.hours * 3600
            while clock.time() < stop:
                if calls_at_start is None and clock.time() >= T0.timestamp():
                    calls_at_start = (sim.counters["data"], laps())
                if calls_at_end is None and clock.time() >= window_end:
                    calls_at_end = (sim.counters["data"], laps())
                cycle_start = clock.time()
                await poller.cycle()
                await outbox.drain()
                done = int(100 * (clock.time() - T0.timestamp() + warmup) / (stop - T0.timestamp() + warmup))
                if done // 10 > shown:
                    shown = done // 10
                    progress(f"  {name}: {min(done, 100):3d}% of simulated time, {sim.counters['data']} /data calls")
                wake = cycle_start + scenario.interval
                if clock.time() < wake:
                    clock.advance(wake - clock.time())
    finally:
        for account in extra:
            await account.aclose()
        await sim.stop()
    await recorder.resolve()
    result.wall_seconds = time.perf_counter() - started
    # Calls are counted over the measured window; the race cards' lap fetches apart from the poller's own.
    total = sim.counters["data"]
    result.warmup_calls = total if calls_at_start is None else calls_at_start[0]
    window_total, window_laps = (total, laps()) if calls_at_end is None else calls_at_end
    result.lap_calls = window_laps - (0 if calls_at_start is None else calls_at_start[1])
    result.calls = window_total - result.warmup_calls - result.lap_calls
    truth = ground_truth(scenario, world)
    seen: set[tuple[int, int, int]] = set()
    for g, sub, c, t in recorder.posts:
        key = (g, sub, c)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        if key in truth:
            end, recent = truth[key]
            delay = t - end
            result.delays.append(delay)
            result.slowest.append((delay, sub, c))
            if recent:
                result.delays_recent.append(delay)
        else:
            result.outside += 1
    result.slowest = sorted(result.slowest, reverse=True)[:5]
    result.posted = len(seen & truth.keys())
    result.expected = len(truth)
    result.misses = len(set(truth) - seen)
    result.missed = sorted((truth[k][0], k[1], k[2]) for k in set(truth) - seen)[:5]
    return result


def run_poller_bench(
    scenario: Scenario, progress: Callable[[str], None] = print, *, only: str | None = None
) -> list[StrategyResult]:
    """Both strategies on the same world, or ``only`` one of them (``simlane`` or ``baseline``)."""
    names = [n for n in ("SimLane", "baseline") if only is None or n.lower() == only.lower()]

    async def both() -> list[StrategyResult]:
        try:
            return [await _run_strategy(name, scenario, progress) for name in names]
        finally:
            await close_async_connections()

    return asyncio.run(both())


@dataclass(frozen=True)
class Probe:
    drivers: int
    result: StrategyResult

    @property
    def p95(self) -> float:
        return StrategyResult.pct(self.result.delays, 95)


def run_capacity(
    base: Scenario,
    *,
    goal_seconds: float = 600.0,
    start: int = 2000,
    limit: int = 200_000,
    progress: Callable[[str], None] = print,
) -> tuple[int | None, list[Probe]]:
    """The most drivers for which SimLane's p95 detection delay stays within ``goal_seconds`` (and nothing is missed).

    Sizes double from ``start`` until a probe fails (or ``limit``), then bisect to within a tenth. Each probe is a
    full run on its own world (four members per driver), servers at one per 100 drivers.
    """
    probes: list[Probe] = []

    def probe(drivers: int) -> bool:
        scenario = Scenario(
            drivers=drivers,
            guilds=max(1, drivers // 100),
            hours=base.hours,
            seed=base.seed,
            accounts=base.accounts,
            rate_limit=base.rate_limit,
        )
        result = run_poller_bench(scenario, progress=lambda _: None, only="simlane")[0]
        found = Probe(drivers, result)
        probes.append(found)
        ok = found.p95 <= goal_seconds and result.misses == 0
        progress(
            f"  probe {drivers:7d} drivers: p95 {found.p95:5.0f} s, misses {result.misses}, "
            f"{result.calls_per_post:.2f} calls/post, wall {result.wall_seconds:.0f} s -> {'ok' if ok else 'too slow'}"
        )
        return ok

    good: int | None = None
    bad: int | None = None
    size = start
    while size <= limit:
        if probe(size):
            good, size = size, size * 2
        else:
            bad = size
            break
    if good is None or bad is None:
        return good, probes
    while bad - good > max(1, good // 10):
        mid = (good + bad) // 2
        if probe(mid):
            good = mid
        else:
            bad = mid
    return good, probes
