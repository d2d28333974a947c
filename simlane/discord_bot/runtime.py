"""SimLane's main job in one process: the Discord bot, the results poller and outbox, the periodic jobs and the
web dashboard.

``run_live`` connects to Discord with ``DISCORD_TOKEN``; ``results_runner`` builds the poller, outbox and publisher
that the live runtime and the demo (``demo.py``) share; ``dashboard`` serves the web app on the same event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from config.periodic import PERIODIC_JOBS
from simlane.core.periodic import run_periodic
from simlane.iracing import aio as iracing_aio
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.tasks import NIGHTLY_AT, nightly_sync
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, ResultsRunner, SubsessionFetcher
from simlane.web.server import serve_web

from .bot import SimLaneBot
from .gateway import held_shards
from .publisher import DiscordPublisher

Say = Callable[[str], None]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebAddress:
    """Where the dashboard listens (port 0: any free port; the announced address has the real one)."""

    host: str = "127.0.0.1"
    port: int = 8000


@contextlib.asynccontextmanager
async def dashboard(web: WebAddress | None, say: Say) -> AsyncIterator[str | None]:
    """Serve the web app on this event loop while the block runs; yield its address (``None``: not served).

    A port already in use costs the dashboard only: the bot and the results job are the main job, and a second
    SimLane (or ``simlane web``) holding the port must not stop this one from posting results. One line says how to
    pick another port.
    """
    if web is None:
        yield None
        return
    ready, address = asyncio.Event(), ""

    def announce(line: str) -> None:
        nonlocal address
        address = line.rsplit(" ", 1)[-1].rstrip("/")
        say(line)

    task = asyncio.create_task(serve_web(web.host, web.port, ready=ready, announce=announce))
    started = asyncio.create_task(ready.wait())
    await asyncio.wait({task, started}, return_when=asyncio.FIRST_COMPLETED)
    started.cancel()
    if not ready.is_set():
        try:
            await task
        except OSError as exc:
            why = os.strerror(exc.errno) if exc.errno else str(exc)
        else:
            why = "it stopped"
        say(
            f"The dashboard is not served: cannot listen on {web.host}:{web.port} ({why}); the bot keeps running. "
            "Pick another port with --web-port (or WEB_PORT), or turn the dashboard off with --no-web."
        )
        yield None
        return
    try:
        yield address
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# With a broker, Celery workers search and claim; the bot looks for claimed posts this often.
OUTBOX_SECONDS = 10.0


def results_runner(
    bot: SimLaneBot,
    client: IRacingClient,
    *,
    policy: PollPolicy,
    sleep: Callable[[float], Awaitable[None]],
    accounts: Sequence[IRacingClient] = (),
    search: bool = True,
) -> ResultsRunner:
    """``accounts``: more iRacing accounts the poller spreads the tracked drivers over, each on its own budget.
    ``search=False``: the outbox alone, drained every ``OUTBOX_SECONDS`` (Celery workers search)."""
    fetcher = SubsessionFetcher(client)
    poller = ResultsPoller(client, now=bot.now, policy=policy, fetcher=fetcher, accounts=accounts) if search else None
    # A sharded bot posts for the servers of its own shards only (another process holds the others). Race cards:
    # laps fetched once per race for every server, drawn in a worker thread off the event loop.
    outbox = Outbox(
        DiscordPublisher(bot),
        fetcher,
        now=bot.now,
        shards=lambda: held_shards(bot),
        cards=bot.cards,  # the bot's (shared with /results card): one lap fetch per race for both
    )
    interval = policy.interval.total_seconds() if search else OUTBOX_SECONDS
    return ResultsRunner(poller, outbox, interval_seconds=interval, sleep=sleep)


def background_jobs(
    bot: SimLaneBot,
    client: IRacingClient,
    *,
    policy: PollPolicy,
    broker: bool,
    accounts: Sequence[IRacingClient] = (),
) -> list[Coroutine[Any, Any, None]]:
    """The results job, and the periodic jobs table only without a broker. With one, Celery beat sends the periodic
    jobs and the results search to workers (running them here too would run them twice): this process only posts
    what the workers claimed, for the servers of its shards."""
    runner = results_runner(bot, client, policy=policy, sleep=asyncio.sleep, accounts=accounts, search=not broker)
    jobs = [runner.run_forever()]
    if not broker:
        jobs.append(run_periodic(PERIODIC_JOBS, now=bot.now))
    return jobs


async def run_live(
    bot: SimLaneBot,
    client: IRacingClient,
    token: str,
    *,
    policy: PollPolicy,
    say: Say,
    web: WebAddress | None,
    accounts: Sequence[IRacingClient] = (),
) -> None:
    """Connect to Discord and run the results job and the dashboard beside the bot until interrupted."""

    async def job() -> None:
        await bot.wait_until_ready()
        say(f"Connected to Discord as {bot.user}; polling iRacing every {policy.interval.total_seconds():.0f} s")
        if not await iracing_aio.reference_data_exists():
            try:  # an empty database is filled at once, not at the next nightly run (a worker does it with a broker)
                await asyncio.to_thread(nightly_sync.delay)
            except IRacingError as exc:
                logger.warning("first iRacing sync failed (tried again at %s UTC): %s", NIGHTLY_AT, exc)
        broker = bool(settings.CELERY_BROKER_URL)
        await asyncio.gather(*background_jobs(bot, client, policy=policy, broker=broker, accounts=accounts))

    async with bot, dashboard(web, say) as address:
        if address and not (settings.DISCORD_CLIENT_ID and settings.DISCORD_CLIENT_SECRET):
            say(
                "Logging in to the dashboard needs the Discord application's OAuth2 credentials: set "
                "DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET (see README.md)."
            )
        await asyncio.gather(bot.start(token), job())
