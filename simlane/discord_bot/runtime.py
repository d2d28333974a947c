"""SimLane's main job in one process: the Discord bot, the results poller and outbox, and the periodic jobs.

``run_live`` connects to Discord with ``DISCORD_TOKEN``; ``run_demo`` runs the same bot code against simcord (an
offline Discord in memory) with a demo server, channel and tracked drivers set up through the real slash commands,
so a newcomer watches real result posts appear with nothing configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import discord
import simcord

from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.models import Car
from simlane.iracing.simulator import Simulator
from simlane.iracing.simulator.world import Member
from simlane.iracing.sync.guide import sync_race_guide
from simlane.iracing.sync.weather import refresh_forecasts
from simlane.iracing.tasks import NIGHTLY_AT, nightly_work
from simlane.racenumbers.league import auto_sync_due
from simlane.results import aio
from simlane.results.embeds import embed_as_text
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, ResultsRunner, SubsessionFetcher

from .bot import SimLaneBot
from .offline import reply_text
from .publisher import DiscordPublisher

Say = Callable[[str], None]
logger = logging.getLogger(__name__)


def results_runner(
    bot: SimLaneBot, client: IRacingClient, *, policy: PollPolicy, sleep: Callable[[float], Awaitable[None]]
) -> ResultsRunner:
    fetcher = SubsessionFetcher(client)
    poller = ResultsPoller(client, now=bot.now, policy=policy, fetcher=fetcher)
    outbox = Outbox(DiscordPublisher(bot), fetcher, now=bot.now)
    return ResultsRunner(poller, outbox, interval_seconds=policy.interval.total_seconds(), sleep=sleep)


async def every(
    seconds: float, work: Callable[[], Awaitable[object]], *, sleep: Callable[[float], Awaitable[None]], name: str
) -> None:
    """Run ``work`` now and then every ``seconds``; a failure is logged and the job carries on."""
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s failed; trying again in %.0f s", name, seconds)
        await sleep(seconds)


def seconds_until(now: datetime, at: time) -> float:
    """Seconds from ``now`` to the next ``at`` (UTC)."""
    target = datetime.combine(now.date(), at, tzinfo=UTC)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()


async def nightly_iracing_sync(
    bot: SimLaneBot, client: IRacingClient, *, sleep: Callable[[float], Awaitable[None]], first_now: bool
) -> None:
    """The Celery beat entry, without a broker: reference data and current seasons at NIGHTLY_AT every day
    (and once at start-up when the database has none yet)."""
    if first_now:
        await _nightly_once(client)
    while True:
        await sleep(seconds_until(bot.now(), NIGHTLY_AT))
        await _nightly_once(client)


async def _nightly_once(client: IRacingClient) -> None:
    try:
        logger.info("iRacing nightly sync: %s", await nightly_work(client))
    except IRacingError as exc:
        logger.warning("iRacing nightly sync failed (tried again tomorrow): %s", exc)


async def run_live(bot: SimLaneBot, client: IRacingClient, token: str, *, policy: PollPolicy, say: Say) -> None:
    """Connect to Discord and run the results job beside the bot until interrupted."""

    async def job() -> None:
        await bot.wait_until_ready()
        say(f"Connected to Discord as {bot.user}; polling iRacing every {policy.interval.total_seconds():.0f} s")
        empty = not await Car.objects.aexists()
        await asyncio.gather(
            results_runner(bot, client, policy=policy, sleep=asyncio.sleep).run_forever(),
            nightly_iracing_sync(bot, client, sleep=asyncio.sleep, first_now=empty),
            # The Celery beat entries of config/celery_app.py, run here without a broker:
            every(60, lambda: auto_sync_due(client=client, now=bot.now()), sleep=asyncio.sleep, name="number sync"),
            every(30 * 60, lambda: sync_race_guide(client, now=bot.now()), sleep=asyncio.sleep, name="race guide"),
            every(6 * 3600, lambda: refresh_forecasts(client, now=bot.now()), sleep=asyncio.sleep, name="forecasts"),
        )

    async with bot:
        await asyncio.gather(bot.start(token), job())


@dataclass
class DemoServer:
    guild: simcord.GuildHandle
    results: simcord.ChannelHandle
    general: simcord.ChannelHandle
    admin: simcord.MemberActor
    member: simcord.MemberActor


def demo_drivers(sim: Simulator, count: int = 6) -> list[Member]:
    """Busy drivers whose next races finish soonest, with names unique enough to track by name."""
    world, now = sim.world, sim.clock.time()
    names = [m.display_name.casefold() for m in world.members]
    soonest: list[tuple[float, Member]] = []
    for m in world.members:
        if m.races_per_day < 1 or sum(m.display_name.casefold() in n for n in names) > 1:
            continue
        sessions = world.member_sessions(m, now - 3 * 3600, now + 6 * 3600)
        ends = [s.end for s in sessions if s.end > now + 120 and world.split_of(m, s) is not None]
        if ends:
            soonest.append((min(ends), m))
    soonest.sort(key=lambda x: x[0])
    return [m for _, m in soonest[:count]]


async def demo_server(env: simcord.Env, sim: Simulator, say: Say) -> DemoServer:
    """A server as a league admin would set it up: a results channel, members tracking drivers by name."""
    guild = env.create_guild(name="SimLane Demo League")
    admins = guild.create_role("League admins", permissions=discord.Permissions(manage_guild=True))
    server = DemoServer(
        guild,
        guild.create_text_channel("race-results"),
        guild.create_text_channel("general"),
        guild.add_member(env.create_user("league-admin"), roles=[admins]),
        guild.add_member(env.create_user("driver-fan")),
    )
    reply = await server.admin.slash(server.general, "results channel", channel=server.results)
    say(f"  league-admin: /results channel #race-results  →  {reply_text(reply)}")
    for m in demo_drivers(sim):
        reply = await server.member.slash(server.general, "track", driver=m.display_name)
        say(f"  driver-fan: /track driver:{m.display_name}  →  {reply_text(reply)}")
    await demo_numbers(server, sim, say)
    return server


async def demo_numbers(server: DemoServer, sim: Simulator, say: Say) -> None:
    """Car numbers: the admin links the server to a simulated league, a member claims and links, the admin verifies
    the link and syncs."""
    league = sim.world.leagues[0]
    cust, number = next((c, n) for c, n in league.roster if n)
    reply = await server.admin.slash(server.general, "setup", league_id=league.league_id, min_number=1, max_number=99)
    say(f"  league-admin: /setup league_id:{league.league_id} min_number:1 max_number:99  →  saved")
    reply = await server.member.slash(server.general, "claim", number=number)
    say(f"  driver-fan: /claim number:{number}  →  {reply_text(reply)}")
    reply = await server.member.slash(server.general, "link", driver=str(cust))
    say(f"  driver-fan: /link driver:{cust}  →  {reply_text(reply)}")
    reply = await server.admin.slash(server.general, "verify", member=server.member)
    say(f"  league-admin: /verify member:@driver-fan  →  {reply_text(reply)}")
    reply = await server.admin.slash(server.general, "sync")
    message = reply.followups[0] if reply.followups else reply.response
    if message is not None and message.embeds:
        summary = ", ".join(f"{f.name}" for f in message.embeds[0].fields)
        say(f"  league-admin: /sync  →  {summary}")


async def run_demo(
    bot: SimLaneBot, client: IRacingClient, sim: Simulator, *, policy: PollPolicy, duration: float, say: Say
) -> int:
    """Run the demo for ``duration`` real seconds (0: until interrupted); returns how many results were posted."""
    async with simcord.run(bot, check_errors=False) as env:
        say("Offline Discord (simcord): creating the demo server")
        server = await demo_server(env, sim, say)
        shown: set[int] = set()

        async def show(_tick: object) -> None:
            for message in server.results.history():
                if message.id not in shown and message.embeds:
                    shown.add(message.id)
                    when = datetime.fromtimestamp(sim.clock.time(), UTC)
                    say(f"\n[{when:%H:%M} simulated] #race-results\n{embed_as_text(dict(message.embeds[0].to_dict()))}")

        runner = results_runner(bot, client, policy=policy, sleep=sim.clock.sleep)
        runner.on_tick = show
        tracked = len(await aio.tracked_driver_list(guild_id=server.guild.id))
        say(f"\nWatching {tracked} drivers; results appear as their races finish (Ctrl-C to stop)...")
        task = asyncio.ensure_future(runner.run_forever())
        try:
            if duration:
                await asyncio.sleep(duration)
            else:
                await asyncio.Event().wait()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return len(shown)
