"""SimLane's main job in one process: the Discord bot, the results poller and outbox, and the periodic jobs.

``run_live`` connects to Discord with ``DISCORD_TOKEN``; ``results_runner`` builds the poller, outbox and publisher
that the live runtime and the demo (``demo.py``) share.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from django.conf import settings

from config.periodic import PERIODIC_JOBS
from simlane.core.periodic import run_periodic
from simlane.iracing import aio as iracing_aio
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.tasks import NIGHTLY_AT, nightly_sync
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


def background_jobs(
    bot: SimLaneBot, client: IRacingClient, *, policy: PollPolicy, broker: bool
) -> list[Coroutine[Any, Any, None]]:
    """The results job, and the periodic jobs table only without a broker (with one, Celery beat sends them to
    workers; running them here too would run them twice)."""
    jobs = [results_runner(bot, client, policy=policy, sleep=asyncio.sleep).run_forever()]
    if not broker:
        jobs.append(run_periodic(PERIODIC_JOBS, now=bot.now))
    return jobs


async def run_live(bot: SimLaneBot, client: IRacingClient, token: str, *, policy: PollPolicy, say: Say) -> None:
    """Connect to Discord and run the results job beside the bot until interrupted."""

    async def job() -> None:
        await bot.wait_until_ready()
        say(f"Connected to Discord as {bot.user}; polling iRacing every {policy.interval.total_seconds():.0f} s")
        if not await iracing_aio.reference_data_exists():
            try:  # an empty database is filled at once, not at the next nightly run (a worker does it with a broker)
                await asyncio.to_thread(nightly_sync.delay)
            except IRacingError as exc:
                logger.warning("first iRacing sync failed (tried again at %s UTC): %s", NIGHTLY_AT, exc)
        await asyncio.gather(*background_jobs(bot, client, policy=policy, broker=bool(settings.CELERY_BROKER_URL)))

    async with bot:
        await asyncio.gather(bot.start(token), job())
