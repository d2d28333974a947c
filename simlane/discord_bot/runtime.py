"""SimLane's main job in one process: the Discord bot, the results poller and outbox, and the periodic jobs.

``run_live`` connects to Discord with ``DISCORD_TOKEN``; ``results_runner`` builds the poller, outbox and publisher
that the live runtime and the demo (``demo.py``) share.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.models import Car
from simlane.iracing.sync.guide import sync_race_guide
from simlane.iracing.sync.weather import refresh_forecasts
from simlane.iracing.tasks import NIGHTLY_AT, nightly_work
from simlane.racenumbers.league import auto_sync_due
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, ResultsRunner, SubsessionFetcher

from .bot import SimLaneBot
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
