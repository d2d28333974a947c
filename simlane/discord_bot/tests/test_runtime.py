"""simlane run's background jobs: the periodic jobs run in-process only when no broker is configured."""

from __future__ import annotations

from datetime import UTC, datetime

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.runtime import background_jobs
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator.local import demo_client_config
from simlane.results.poller import PollPolicy


def _jobs(*, broker: bool) -> list[str]:
    bot = SimLaneBot(iracing=None, now=lambda: datetime(2026, 3, 3, tzinfo=UTC))
    client = IRacingClient(demo_client_config("http://127.0.0.1:9"))
    jobs = background_jobs(bot, client, policy=PollPolicy(), broker=broker)
    names = [job.__qualname__ for job in jobs]
    for job in jobs:
        job.close()  # never started: nothing to run
    return names


def test_without_a_broker_simlane_run_runs_the_periodic_jobs_itself():
    assert _jobs(broker=False) == ["ResultsRunner.run_forever", "run_periodic"]


def test_with_a_broker_simlane_run_starts_no_periodic_loop():
    # Celery beat sends the periodic jobs to workers; running them here too would run each twice.
    assert _jobs(broker=True) == ["ResultsRunner.run_forever"]
