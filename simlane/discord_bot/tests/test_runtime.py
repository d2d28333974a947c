"""simlane run's background jobs: the periodic jobs and the results search run in-process only when no broker is
configured (with one, beat sends them to Celery workers)."""

from __future__ import annotations

from datetime import UTC, datetime

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.runtime import OUTBOX_SECONDS, background_jobs
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator.local import demo_client_config
from simlane.results.poller import PollPolicy, ResultsRunner


def _jobs(*, broker: bool) -> tuple[list[str], ResultsRunner]:
    bot = SimLaneBot(iracing=None, now=lambda: datetime(2026, 3, 3, tzinfo=UTC))
    client = IRacingClient(demo_client_config("http://127.0.0.1:9"))
    jobs = background_jobs(bot, client, policy=PollPolicy(), broker=broker)
    names = [job.__qualname__ for job in jobs]
    runner = jobs[0].cr_frame.f_locals["self"]  # type: ignore[attr-defined]  # the coroutine's ResultsRunner
    for job in jobs:
        job.close()  # never started: nothing to run
    return names, runner


def test_without_a_broker_simlane_run_runs_the_periodic_jobs_and_the_search_itself():
    names, runner = _jobs(broker=False)
    assert names == ["ResultsRunner.run_forever", "run_periodic"]
    assert runner.poller is not None


def test_with_a_broker_simlane_run_only_posts_what_the_workers_find():
    # Celery beat sends the periodic jobs and the results search to workers; running them here too would run each
    # twice. The bot still posts: workers never call Discord.
    names, runner = _jobs(broker=True)
    assert names == ["ResultsRunner.run_forever"]
    assert runner.poller is None
    assert runner.interval_seconds == OUTBOX_SECONDS
