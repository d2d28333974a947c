"""Benchmark: the sharded bot (``ShardedSimLaneBot``, several shards in one process) in simcord with thousands of
servers: start-up time, memory, and how fast SimLane answers slash commands when many arrive at once.

simcord runs discord.py's ``AutoShardedClient`` itself: one fake gateway connection per shard, each server on the
shard Discord's rule gives it (``(guild_id >> 22) % shard_count``), a READY per shard carrying ``[shard_id,
shard_count]``. So the bot here is the real ``ShardedSimLaneBot`` holding every shard of ``--shard-count``, as
``simlane bot --shard-count N --shard-ids 0-(N-1)`` would, with every extension loaded and its commands synced.

What simcord does not reproduce, and so is not in the figures: the network (REST and gateway calls are in-memory
function calls), Discord's rate limits and identify pacing (one identify per 5 s per bucket on real Discord), and
the guild stream of a real start-up: simcord's READY lists no servers and every server's GUILD_CREATE follows at
once, so discord.py's wait for late servers and its member chunking before ``ready`` are skipped.

Wall time is ``time.perf_counter`` (simcord's virtual clock moves only when told to, so it would measure nothing).
The three phases:

- *ready*: from ``Env.start`` (the login, extension loading and command sync included) to discord.py's ``ready``
  event, when every shard is ready and every server is in the bot's cache;
- *start-up work*: from the same start until the bot has nothing left to do: on ``ready`` SimLane reads the members
  of every server one after another (the member sync of ``exts/clubs``), which is most of the start-up at scale;
- *slash commands*: rounds of ``--interactions`` slash commands dispatched at once, each from a member of a
  different server spread over every shard, timed from the INTERACTION_CREATE being handed to the bot to SimLane's
  interaction response reaching Discord.

simcord's own ``member.slash`` settles the bot after every command and refuses to overlap with another operation,
so it cannot put 100 interactions in flight together. :func:`_dispatch_slash` builds the same INTERACTION_CREATE
the way ``member.slash`` does (simcord's own helpers: visibility check, option building, the interaction record)
and emits it without settling; the round then waits for every answer (see :func:`_round`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
import simcord
from simcord import actors as simcord_actors
from simcord import interactions as simcord_interactions

from simlane.bench import aio
from simlane.core.db import close_async_connections
from simlane.discord_bot.gateway import ShardedSimLaneBot

# Read-only commands members really run, each reading this server's rows: the results channel and mode, the tracked
# drivers (a paged embed), the server's upcoming events (the member's club role first).
COMMANDS = ("results status", "tracked", "event list")
ANSWER_SECONDS = 60.0  # a round's answers are awaited this long; later ones count as unanswered
SETTLE_SECONDS = 1800.0  # a ceiling for one settle: start-up at 5,000 servers takes minutes on a busy 2-core box


@dataclass(frozen=True)
class DiscordScenario:
    guilds: int = 2500
    shards: int = 4
    interactions: int = 100  # slash commands in flight together, each in a different server
    rounds: int = 5
    members: int = 3  # members per server besides the bot
    channels: int = 2  # text channels per server (general, results, then more)
    tracked: int = 2  # tracked drivers per server, so /tracked and /results status read real rows
    commands: tuple[str, ...] = COMMANDS


@dataclass
class DiscordResult:
    scenario: DiscordScenario
    build_seconds: float = 0.0  # simcord's world (servers, channels, members) and the database rows; not start-up
    ready_seconds: float = 0.0
    startup_seconds: float = 0.0
    cached_guilds: int = 0
    shards_ready: int = 0
    synced_commands: int = 0
    rss_before_mb: float = 0.0  # the process after Django, discord.py and simcord loaded, before any server
    rss_built_mb: float = 0.0  # after simcord's world is built, before the bot starts: simcord's own share
    rss_ready_mb: float = 0.0
    peak_rss_mb: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # command -> seconds, every round
    unanswered: int = 0
    errors: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # command -> the first answer's text, to show it
    round_seconds: list[float] = field(default_factory=list)

    @property
    def all_latencies(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]

    @property
    def dispatched(self) -> int:
        return len(self.all_latencies) + self.unanswered

    @staticmethod
    def pct(values: list[float], p: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class BenchEnv(simcord.Env):
    """simcord's environment with every settle allowed ``settle_timeout`` of wall time.

    simcord settles the bot's start-up for at most 5 s (a fixed argument inside ``Env.start``); SimLane's start-up
    member sync of thousands of servers takes longer than that, so the limit is lifted to the environment's own.
    """

    async def _settle_internal(self, *, timeout: float | None = None, **kwargs: Any) -> None:  # noqa: ASYNC109
        await super()._settle_internal(timeout=max(timeout or 0.0, self.settle_timeout), **kwargs)


def _rss_mb() -> float:
    """The process's resident memory now (Linux ``VmRSS``), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_rss_mb() -> float:
    """The kernel's high-water mark of resident memory (kilobytes on Linux), in MB. It is counted a little apart
    from ``VmRSS``, so callers take the larger of the two."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class _Server:
    guild: simcord.GuildHandle
    general: simcord.ChannelHandle
    results: simcord.ChannelHandle
    member: simcord.MemberActor


def _build_world(env: simcord.Env, scenario: DiscordScenario) -> list[_Server]:
    """Servers spread evenly over the shards, each with its channels and members."""
    servers = []
    for i in range(scenario.guilds):
        guild = env.create_guild(f"League {i}", shard_id=i % scenario.shards)
        channels = [guild.create_text_channel(name) for name in ("general", "results")[: scenario.channels]]
        channels += [guild.create_text_channel(f"channel-{k}") for k in range(len(channels), scenario.channels)]
        members = [guild.add_member(env.create_user(f"driver-{i}-{k}")) for k in range(scenario.members)]
        servers.append(_Server(guild, channels[0], channels[-1], members[0]))
    return servers


def _dispatch_slash(env: simcord.Env, actor: simcord.MemberActor, channel: simcord.ChannelHandle, name: str) -> Any:
    """Emit one slash command's INTERACTION_CREATE without waiting for the bot (``member.slash`` up to its settle);
    returns simcord's interaction record, which SimLane's response fills."""
    parts = name.split()
    root = simcord_actors._resolve_visible_command(actor, channel.id, parts[0], discord.AppCommandType.chat_input.value)
    leaf, nesting = simcord_interactions.walk_to_subcommand(root, parts[1:])
    options, _resolved = simcord_interactions.build_options(actor, name, leaf, {}, channel_id=channel.id)
    data: dict[str, Any] = {
        "id": root["id"],
        "name": root["name"],
        "type": root.get("type", discord.AppCommandType.chat_input.value),
        "options": simcord_interactions.nest_options(root, nesting, options),
    }
    record, payload = simcord_interactions.base_payload(
        env.backend,
        type=discord.InteractionType.application_command.value,
        channel_id=channel.id,
        guild_id=actor.guild.id,
        user_id=actor.id,
        data=data,
    )
    env.backend.emit("INTERACTION_CREATE", payload)
    return record


def _time_answer(record: Any, answered: dict[int, float], expected: int, all_in: asyncio.Event) -> None:
    """Note the wall time of the interaction's first response (a message, or a deferral that a follow-up fills);
    ``all_in`` is set once ``expected`` interactions have one."""
    for method in ("respond_with_message", "defer"):
        original = getattr(record, method)

        def timed(*args: Any, _original: Callable[..., None] = original, **kwargs: Any) -> None:
            answered.setdefault(record.id, time.perf_counter())
            if len(answered) >= expected:
                all_in.set()
            _original(*args, **kwargs)

        setattr(record, method, timed)


def _answer_text(result: simcord.InteractionResult) -> str:
    """What the member saw first: the message's text, else its first embed's title (a paged list)."""
    message = result.response or next(iter(result.followups), None)
    if message is None:
        return ""
    if message.content:
        return message.content
    return next((e.title or "" for e in message.embeds), "")


async def _round(
    env: simcord.Env, servers: list[_Server], scenario: DiscordScenario, index: int, result: DiscordResult
) -> None:
    """One round: ``interactions`` commands from as many servers, spread over the whole list (so every shard).

    The round waits for the answers themselves, not for simcord's settle: settling inspects every pending task and
    view on each pass, on the bot's own event loop, which at 100 commands in flight cost more than SimLane's
    handling and would be measured as SimLane's latency. The settle that follows (untimed) waits for what the
    commands left running (their views' timers are parked by simcord) and collects errors.
    """
    step = max(1, len(servers) // scenario.interactions)
    picked = [servers[(k * step + index) % len(servers)] for k in range(min(scenario.interactions, len(servers)))]
    answered: dict[int, float] = {}
    all_in = asyncio.Event()
    sent: list[tuple[str, Any, float]] = []
    errors_before = env.error_cursor
    started = time.perf_counter()
    for k, server in enumerate(picked):
        name = scenario.commands[(k + index) % len(scenario.commands)]
        at = time.perf_counter()
        record = _dispatch_slash(env, server.member, server.general, name)
        _time_answer(record, answered, len(picked), all_in)
        sent.append((name, record, at))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_in.wait(), timeout=ANSWER_SECONDS)
    result.round_seconds.append(time.perf_counter() - started)
    await env.settle()
    for name, record, at in sent:
        done = answered.get(record.id)
        if done is None or not record.responded:
            result.unanswered += 1
            continue
        result.latencies.setdefault(name, []).append(done - at)
        if name not in result.answers:
            result.answers[name] = _answer_text(simcord.InteractionResult(env, record))
    result.errors += [f"{type(getattr(e, 'original', e)).__name__}: {e}" for e in env.errors_since(errors_before)]


async def _run(scenario: DiscordScenario, progress: Callable[[str], None]) -> DiscordResult:
    result = DiscordResult(scenario)
    bot = ShardedSimLaneBot(shard_count=scenario.shards)
    ready_at: list[float] = []

    async def on_ready() -> None:
        ready_at.append(time.perf_counter())

    bot.add_listener(on_ready, "on_ready")
    gc.collect()
    result.rss_before_mb = _rss_mb()
    env = BenchEnv(bot, check_errors=False, settle_timeout=SETTLE_SECONDS)
    built = time.perf_counter()
    servers = _build_world(env, scenario)
    await aio.discord_servers_seed(
        servers=[(s.guild.id, s.results.id) for s in servers], tracked=scenario.tracked, since=env.now()
    )
    result.build_seconds = time.perf_counter() - built
    gc.collect()
    result.rss_built_mb = _rss_mb()
    progress(
        f"simcord world: {scenario.guilds} servers, {scenario.channels} channels and {scenario.members} members "
        f"each, {scenario.tracked} tracked drivers each in the database ({result.build_seconds:.1f} s, not counted)"
    )
    started = time.perf_counter()
    await env.start()
    result.startup_seconds = time.perf_counter() - started
    try:
        result.ready_seconds = (ready_at[0] - started) if ready_at else float("nan")
        result.cached_guilds = len(bot.guilds)
        result.shards_ready = sum(1 for shard in bot.shards.values() if not shard.is_closed())
        result.synced_commands = len(bot.tree.get_commands())
        result.rss_ready_mb = _rss_mb()
        progress(
            f"ready in {result.ready_seconds:.1f} s ({result.cached_guilds} servers cached, {result.shards_ready} "
            f"shards, {result.synced_commands} top-level commands synced); start-up work (member sync of every "
            f"server) done in {result.startup_seconds:.1f} s; RSS {result.rss_ready_mb:.0f} MB"
        )
        for index in range(scenario.rounds):
            await _round(env, servers, scenario, index, result)
            progress(
                f"round {index + 1}/{scenario.rounds}: {scenario.interactions} concurrent slash commands answered "
                f"in {result.round_seconds[-1] * 1000:.0f} ms (unanswered so far {result.unanswered})"
            )
    finally:
        result.peak_rss_mb = max(_peak_rss_mb(), _rss_mb(), result.rss_ready_mb)
        await env.shutdown()
    return result


def run_discord_bench(scenario: DiscordScenario, progress: Callable[[str], None] = print) -> DiscordResult:
    """The whole benchmark on the current (throw-away) database."""

    async def main() -> DiscordResult:
        try:
            return await _run(scenario, progress)
        finally:
            await close_async_connections()

    # Every server's member sync logs a few INFO lines: thousands of them would bury the figures.
    quiet = [logging.getLogger(name) for name in ("simlane", "discord")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        return asyncio.run(main())
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)


def summary_lines(r: DiscordResult) -> list[str]:
    """The figures, the last line being the one-line summary."""
    s = r.scenario
    lines = []
    for name in s.commands:
        values = r.latencies.get(name, [])
        lines.append(
            f"/{name:14s} {len(values):4d} answered: p50 {r.pct(values, 50) * 1000:6.1f} ms p95 "
            f"{r.pct(values, 95) * 1000:6.1f} ms p99 {r.pct(values, 99) * 1000:6.1f} ms max "
            f"{max(values, default=float('nan')) * 1000:6.1f} ms"
        )
    every = r.all_latencies
    lines.append(
        f"all {len(every)} of {r.dispatched} ({s.rounds} rounds of {s.interactions} at once): p50 "
        f"{r.pct(every, 50) * 1000:.1f} ms p95 {r.pct(every, 95) * 1000:.1f} ms p99 {r.pct(every, 99) * 1000:.1f} ms "
        f"max {max(every, default=float('nan')) * 1000:.1f} ms; a round took "
        f"{statistics.median(r.round_seconds) * 1000 if r.round_seconds else float('nan'):.0f} ms (median)"
    )
    simcord_share = (r.rss_built_mb - r.rss_before_mb) * 1024 / max(1, s.guilds)
    bot_share = (r.rss_ready_mb - r.rss_built_mb) * 1024 / max(1, s.guilds)
    lines.append(
        f"memory: RSS {r.rss_before_mb:.0f} MB before any server, {r.rss_built_mb:.0f} MB with simcord's servers "
        f"built (~{simcord_share:.0f} KB a server), {r.rss_ready_mb:.0f} MB after the bot's start-up (~{bot_share:.0f} "
        f"KB a server in the bot's cache and SimLane), peak {r.peak_rss_mb:.0f} MB"
    )
    for name, text in r.answers.items():
        lines.append(f"/{name} answered, e.g.: " + " | ".join(text.splitlines())[:150])
    if r.errors:
        lines.append(f"errors raised by the bot: {len(r.errors)}, first: {r.errors[0][:200]}")
    lines.append(
        f"discord: {r.cached_guilds} servers, {r.shards_ready} shards; ready in {r.ready_seconds:.1f} s "
        f"(start-up work done in {r.startup_seconds:.1f} s); peak RSS {r.peak_rss_mb:.0f} MB; slash p99 "
        f"{r.pct(every, 99) * 1000:.0f} ms ({s.interactions} concurrent); unanswered {r.unanswered}"
    )
    return lines
