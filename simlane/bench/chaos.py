"""``simlane bench chaos``: the scaled-out process set under faults and kills, and every race posted exactly once.

The processes, as a deployment runs them, on PostgreSQL and Redis:

- Celery beat and ``--workers`` Celery workers (real ``celery -A config`` processes started here): beat sends the
  results search every ``--poll-seconds``; workers lease partitions of the tracked drivers, search iRacing and claim
  posts in the ledger.
- The bot: SimLane's real discord.py bot in simcord, in this process (simcord is an in-memory Discord, so the
  servers and their channels live here), posting what the workers claimed, as ``simlane bot`` does with a broker.
- The iRacing simulator on a clock ``--speed`` times faster than real time, shared by every process
  (``simlane.core.clock``), in a thread of this process.

Faults: ``--fault-rate`` of the iRacing requests fail (429, 500, 502, CloudFront's HTML 504, a rate-limit text
page, maintenance, a revoked token, an expired download link, the token endpoint's rate limit: every kind the
simulator injects but ``timeout``, which holds a request until the test releases it) and about the same share of
the bot's posts fail in simcord (500, 502, 503, 429). Kills: every ``--kill-every`` real seconds a random worker is
killed with SIGKILL (its whole process group) or the bot's posting job is killed (cancelled at whatever await it is
in, its memory dropped; simcord stays up, as Discord would), and started again at once.

Ground truth is the simulated world: every race of every tracked driver that ended in the measured window, for
every server tracking them. Posts are read back from the channels at the end: duplicates, misses, and the delay
from each race's end to the moment its post was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import simcord
from django.db import connection

from simlane.bench import aio
from simlane.bench.poller import OFFICIAL_MIN_ENTRIES, StrategyResult
from simlane.core.clock import FastClock
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.escaping import discord_safe
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config, demo_environment
from simlane.iracing.simulator.world import Member, World
from simlane.results.poller import Outbox, SubsessionFetcher

T0 = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
RESULT_DELAY = 30.0
BUDGET_PER_MINUTE = 240  # the simulator's rate limit per account, as iRacing's
IRACING_FAULTS = (
    "429",
    "500",
    "502",
    "504_html",
    "ratelimit_text",
    "maintenance",
    "expired_token",
    "expired_link",
    "token_rate_limit",
)
DISCORD_FAULTS = (500, 502, 503, 429)
FOOTER = re.compile(r"^Subsession (\d+) ")
BROKER_DB = 9  # a Redis database of the benchmark's own: its queue and rate budget meet nobody else's


@dataclass(frozen=True)
class ChaosOptions:
    drivers: int = 2000
    guilds: int = 200
    hours: float = 4.0
    workers: int = 3
    speed: float = 60.0
    fault_rate: float = 0.1
    kill_every: float = 5.0
    partitions: int = 8
    poll_seconds: int = 2
    partition_seconds: int = 20  # a partition task's hard limit: a killed worker's partition is free after it
    seed: int = 1
    # After the window, so the slowest detection still lands (a dormant driver: 2 h; the most active drivers
    # tracked here are found within minutes, unless their partition was held by a killed worker).
    tail_hours: float = 2.25
    # Real seconds after the tail, kills over, for races still being found or posted: a machine that cannot keep up
    # with the fast clock finds the last races late, and a miss must mean lost, not late (the delays show late).
    settle_seconds: float = 300.0
    redis_url: str = f"redis://127.0.0.1:6379/{BROKER_DB}"

    @property
    def warmup_hours(self) -> float:
        """Time for every driver's first search before the window (about 150 a minute on one account)."""
        return 0.5 + self.drivers / (0.6 * 240 * 60)


@dataclass
class ChaosReport:
    expected: int = 0
    posted: int = 0
    duplicates: int = 0
    misses: int = 0
    outside: int = 0  # posts of races outside the window (found in the warm-up or tail; not measured)
    delays: list[float] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=lambda: {"worker": 0, "bot": 0})
    iracing_faults: dict[str, int] = field(default_factory=dict)
    iracing_calls: int = 0
    discord_faults: int = 0
    discord_sends: int = 0
    wall_seconds: float = 0.0
    window_calls: int = 0  # /data calls while the measured window ran (simulated time)
    window_posts: int = 0  # posts sent meanwhile
    window_minutes: float = 0.0
    backlog_seconds: float = 0.0  # real seconds until every tracked driver had their first search
    backlog_calls: int = 0
    results_gets: int = 0  # results/get calls answered (not failed on purpose) ...
    races_stored: int = 0  # ... for this many races: the rest are races fetched twice by two workers at once

    def per_minute(self) -> tuple[float, float]:
        """(/data calls, posts) per simulated minute over the window."""
        minutes = max(self.window_minutes, 1e-9)
        return self.window_calls / minutes, self.window_posts / minutes

    def p95(self) -> float:
        return StrategyResult.pct(self.delays, 95)

    def line(self) -> str:
        restarts = sum(self.restarts.values())
        return (
            f"chaos: races expected {self.expected}; posted {self.posted}; duplicates {self.duplicates}; "
            f"misses {self.misses}; p95 delay {self.p95():.0f} s; restarts {restarts}"
        )


def tracked(world: World, options: ChaosOptions) -> list[tuple[int, Member]]:
    """(guild index, member): the most active racers first, each in one server, one in five also in the next."""
    members = sorted(world.members, key=lambda m: (-m.races_per_day, m.cust_id))[: options.drivers]
    pairs = []
    for i, m in enumerate(members):
        g = i % options.guilds
        pairs.append((g, m))
        if i % 5 == 0 and options.guilds > 1:
            pairs.append(((g + 1) % options.guilds, m))
    return pairs


def expected_posts(world: World, options: ChaosOptions) -> dict[tuple[int, int, int], float]:
    """(guild index, subsession, cust) -> race end, for every tracked driver's race that ended in the window."""
    begin, end = T0.timestamp(), T0.timestamp() + options.hours * 3600
    truth = {}
    races: dict[int, list[tuple[int, float]]] = {}
    for g, m in tracked(world, options):
        if m.cust_id not in races:
            races[m.cust_id] = [
                (s.subsession_id(split), float(s.end))
                for s in world.member_sessions(m, begin - 86400, end)
                if (split := world.split_of(m, s)) is not None
            ]
        for sub, race_end in races[m.cust_id]:
            if begin < race_end <= end:
                truth[(g, sub, m.cust_id)] = race_end
    return truth


class RecordingPublisher(DiscordPublisher):
    """The bot's publisher, noting when each post was sent (simulated time) for the delay figures."""

    def __init__(self, bot: SimLaneBot, clock: SimClock, sent_at: dict[tuple[int, int, str], float]) -> None:
        super().__init__(bot)
        self.clock, self.sent_at = clock, sent_at

    async def send(self, **kwargs: Any) -> int:
        message_id = await super().send(**kwargs)
        key = post_key(kwargs["channel_id"], kwargs["embed"])
        if key is not None:
            self.sent_at.setdefault(key, self.clock.time())
        return message_id


def post_key(channel_id: int, embed: dict[str, Any]) -> tuple[int, int, str] | None:
    """(channel, subsession, title without the position) of a result post's embed; None for any other message."""
    match = FOOTER.match(embed.get("footer", {}).get("text") or "")
    if not match or not embed.get("title"):
        return None
    return channel_id, int(match.group(1)), str(embed["title"]).split(" — P")[0]


class Processes:
    """Celery beat and workers, each in its own process group so a SIGKILL takes its pool children too."""

    def __init__(self, env: dict[str, str], logs: Path, root: Path) -> None:
        self.env, self.logs, self.root = env, logs, root
        self.workers: list[subprocess.Popen[bytes]] = []
        self.beat: subprocess.Popen[bytes] | None = None
        self._started = 0

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        self._started += 1
        log = open(self.logs / f"{name}-{self._started}.log", "wb")  # noqa: SIM115  (closed with the process)
        return subprocess.Popen(  # noqa: S603  (this interpreter running Celery with our own arguments)
            [sys.executable, "-m", "celery", "-A", "config", *args],
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_worker(self) -> subprocess.Popen[bytes]:
        args = ["worker", "--pool", "prefork", "--concurrency", "1", "--without-gossip", "--without-mingle"]
        args += ["-n", f"chaos{self._started}@%h", "--loglevel", "WARNING"]
        return self._start("worker", args)

    def start(self, workers: int) -> None:
        self.workers = [self.start_worker() for _ in range(workers)]
        self.beat = self._start("beat", ["beat", "--loglevel", "WARNING", "-s", str(self.logs / "beat-schedule")])

    def kill_worker(self, rng: random.Random) -> None:
        i = rng.randrange(len(self.workers))
        _kill(self.workers[i])
        self.workers[i] = self.start_worker()

    def stop(self) -> None:
        for proc in [*self.workers, *([self.beat] if self.beat else [])]:
            _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _flush_redis(url: str) -> None:
    import redis  # Celery's Redis transport brings it

    redis.Redis.from_url(url).flushdb()


@contextlib.contextmanager
def _processes(env: dict[str, str], workers: int) -> Iterator[Processes]:
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="simlane-chaos-") as logs:
        procs = Processes(env, Path(logs), root)
        procs.start(workers)
        try:
            yield procs
        finally:
            procs.stop()


async def run_chaos(options: ChaosOptions, progress: Callable[[str], None] = print) -> ChaosReport:
    """Run the chaos benchmark on the current (throw-away, PostgreSQL) database; the report."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the chaos benchmark runs several processes on one database: it needs PostgreSQL")
    report = ChaosReport()
    rng = random.Random(options.seed)
    # The bot's own INFO lines (member syncs of 200 new servers, rate-limit waits) would bury the progress lines.
    logging.getLogger("simlane").setLevel(logging.WARNING)
    started = time.perf_counter()
    origin = T0.timestamp() - options.warmup_hours * 3600
    sim_clock = SimClock(start=origin, speed=options.speed)
    fast = FastClock(wall_origin=time.time(), origin=origin, speed=options.speed)
    config = SimulatorConfig(
        seed=options.seed,
        members=max(2000, 4 * options.drivers),
        result_delay=RESULT_DELAY,
        official_min_entries=OFFICIAL_MIN_ENTRIES,
    )
    sim = Simulator(config, clock=sim_clock)
    sim.faults.at_random(options.fault_rate, IRACING_FAULTS, seed=options.seed)
    url = sim.start_in_thread()
    world = sim.world
    pairs = tracked(world, options)
    _flush_redis(options.redis_url)
    env = {
        **os.environ,
        **demo_environment(url),
        **fast.environ(),
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": options.redis_url,
        "REDIS_URL": options.redis_url,
        "RESULTS_POLL_SECONDS": str(options.poll_seconds),
        "RESULTS_PARTITIONS": str(options.partitions),
        "RESULTS_PARTITION_SECONDS": str(options.partition_seconds),
    }
    sent_at: dict[tuple[int, int, str], float] = {}
    now = sim_clock.now
    try:
        async with IRacingClient(demo_client_config(url), clock=sim_clock) as client:
            bot = SimLaneBot(iracing=client, now=now)
            async with simcord.run(bot, check_errors=False) as discord_env:
                channels = []
                for g in range(options.guilds):
                    guild = discord_env.create_guild(name=f"Chaos League {g}")
                    channels.append((guild.id, guild.create_text_channel("race-results")))
                await aio.results_reset(
                    channels={gid: ch.id for gid, ch in channels},
                    subscriptions=[(channels[g][0], m.cust_id, m.display_name) for g, m in pairs],
                    tracked_since=T0,
                )
                kills = f"a kill every {options.kill_every:g} s" if options.kill_every > 0 else "no kills"
                progress(
                    f"chaos: {len({m.cust_id for _, m in pairs})} drivers in {options.guilds} servers, "
                    f"{options.workers} workers and beat, clock x{options.speed:g}, {options.fault_rate:.0%} faults, "
                    f"{kills}"
                )
                with _processes(env, options.workers) as procs:
                    calls = lambda: sim.counters["data"]  # noqa: E731
                    await _drive(
                        options,
                        report,
                        rng,
                        procs,
                        bot,
                        discord_env,
                        client,
                        sim_clock,
                        sent_at,
                        calls,
                        len({m.cust_id for _, m in pairs}),
                        [channel.id for _, channel in channels],
                        set(wanted_posts(world, options, channels)),
                        progress,
                    )
                report.iracing_faults = dict(sim.faults.served)
                report.results_gets = sum(
                    c["kind"] == "data" and c["path"] == "results/get" and c["status"] == 200 for c in sim.calls
                )
                report.races_stored = await aio.subsessions_stored()
                report.iracing_calls = sim.counters["data"]
                _score(options, report, world, channels, sent_at)
    finally:
        sim.stop_thread()
        await close_async_connections()
    report.wall_seconds = time.perf_counter() - started
    return report


async def _drive(
    options: ChaosOptions,
    report: ChaosReport,
    rng: random.Random,
    procs: Processes,
    bot: SimLaneBot,
    discord_env: simcord.Env,
    client: IRacingClient,
    clock: SimClock,
    sent_at: dict[tuple[int, int, str], float],
    calls: Callable[[], int],
    drivers: int,
    channel_ids: list[int],
    wanted: set[tuple[int, int, str]],
    progress: Callable[[str], None],
) -> None:
    """Post, inject faults and kill until the window and its tail are over, then let the last posts land."""
    now = clock.now
    stop_at = T0.timestamp() + (options.hours + options.tail_hours) * 3600

    async def poster() -> None:
        # A new outbox per (re)start: what a restarted bot process has in memory (nothing).
        outbox = Outbox(RecordingPublisher(bot, clock, sent_at), SubsessionFetcher(client), now=now)
        while True:
            # One fault in every 1/rate sends, each on the next post to a random server's channel: simcord fails
            # the next matching request, so a fault for any channel would always hit the oldest post due (the one
            # already retrying) and fail it again and again, which independent failures would not.
            due = (report.discord_faults + 1) / max(options.fault_rate, 1e-9)
            while options.fault_rate and len(sent_at) + report.discord_faults >= due:
                path = f"/channels/{rng.choice(channel_ids)}/messages"
                discord_env.inject_error("POST", path, status=rng.choice(DISCORD_FAULTS), times=1)
                report.discord_faults += 1
                due = (report.discord_faults + 1) / options.fault_rate
            await outbox.drain_posts()
            await asyncio.sleep(0.5)

    task = asyncio.ensure_future(poster())
    next_kill = time.monotonic() + options.kill_every if options.kill_every > 0 else float("inf")
    shown = -1
    window: list[tuple[float, int, int]] = []  # (simulated time, calls, posts) at the window's start and end
    began, calls_at_start, checked = time.monotonic(), calls(), 0.0
    try:
        while clock.time() < stop_at:
            await asyncio.sleep(0.2)
            if not report.backlog_seconds and time.monotonic() - checked >= 1:
                checked = time.monotonic()
                if await aio.drivers_searched() >= drivers:
                    report.backlog_seconds = checked - began
                    report.backlog_calls = calls() - calls_at_start
            edge = T0.timestamp() + len(window) * options.hours * 3600
            if len(window) < 2 and clock.time() >= edge:
                window.append((clock.time(), calls(), len(sent_at)))
            if task.done():  # the posting job died of an error: a supervisor would restart it
                task.exception()
                task = asyncio.ensure_future(poster())
            if time.monotonic() >= next_kill:
                next_kill += options.kill_every
                if rng.random() < options.workers / (options.workers + 1):
                    procs.kill_worker(rng)
                    report.restarts["worker"] += 1
                else:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                    task = asyncio.ensure_future(poster())
                    report.restarts["bot"] += 1
            done = int(100 * (clock.time() - T0.timestamp()) / (stop_at - T0.timestamp()))
            if done // 10 > shown and done >= 0:
                shown = done // 10
                progress(f"  {min(done, 100):3d}% of simulated time, {len(sent_at)} posts, {report.restarts}")
        if len(window) == 2:
            (t0, c0, p0), (t1, c1, p1) = window
            report.window_minutes, report.window_calls, report.window_posts = (t1 - t0) / 60, c1 - c0, p1 - p0
        # Kills stop; races still being found, and posts still claimed or backing off, get their chance.
        deadline = time.monotonic() + options.settle_seconds
        while time.monotonic() < deadline and (not wanted <= sent_at.keys() or await aio.posts_waiting()):  # noqa: ASYNC110
            await asyncio.sleep(0.5)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def wanted_posts(
    world: World, options: ChaosOptions, channels: list[tuple[int, simcord.ChannelHandle]]
) -> dict[tuple[int, int, str], float]:
    """(channel, subsession, embed title) -> race end, of every post the window's races call for."""
    by_id = {m.cust_id: m for m in world.members}
    return {
        (channels[g][1].id, sub, f"🏁 {discord_safe(by_id[c].display_name)}"): end
        for (g, sub, c), end in expected_posts(world, options).items()
    }


def _score(
    options: ChaosOptions,
    report: ChaosReport,
    world: World,
    channels: list[tuple[int, simcord.ChannelHandle]],
    sent_at: dict[tuple[int, int, str], float],
) -> None:
    """Read every channel back: what Discord shows is what counts."""
    wanted = wanted_posts(world, options, channels)
    seen: set[tuple[int, int, str]] = set()
    for _, channel in channels:
        for message in channel.history():
            for embed in message.embeds:
                key = post_key(channel.id, dict(embed.to_dict()))
                if key is None:
                    continue
                if key in seen:
                    report.duplicates += 1
                    continue
                seen.add(key)
                if key in wanted:
                    report.delays.append(sent_at.get(key, float("nan")) - wanted[key])
                else:
                    report.outside += 1
    report.delays = [d for d in report.delays if d == d]  # a post whose send time was lost with a kill
    report.expected = len(wanted)
    report.posted = len(seen & wanted.keys())
    report.misses = len(wanted.keys() - seen)
    report.discord_sends = len(sent_at)


def chaos_lines(report: ChaosReport) -> list[str]:
    """The figures, the last line the summary."""
    faults = ", ".join(f"{k} {v}" for k, v in sorted(report.iracing_faults.items()))
    calls, posts = report.per_minute()
    return [
        f"iRacing: {report.iracing_calls} /data calls, faults served: {faults or 'none'}; over the measured window "
        f"{calls:.1f} calls and {posts:.2f} posts a simulated minute; every driver searched once after "
        f"{report.backlog_seconds:.0f} s ({report.backlog_calls} calls); results/get answered {report.results_gets} "
        f"times for {report.races_stored} races",
        f"Discord: {report.discord_sends} posts sent, {report.discord_faults} sends failed on purpose",
        f"restarts: {report.restarts['worker']} workers killed (SIGKILL), {report.restarts['bot']} bot posting jobs "
        f"killed; posts outside the window {report.outside}; wall {report.wall_seconds:.0f} s",
        report.line(),
    ]
