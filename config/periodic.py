"""The one table of periodic jobs: Celery beat is built from it (config/celery_app.py), and ``simlane run`` runs it
in-process when there is no broker (simlane.core.periodic.run_periodic). ``BEAT_JOBS`` adds what only beat
sends: the results search, which ``simlane run`` without a broker runs as its own loop (one poller, posting as
it finds)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from simlane.core.periodic import PeriodicJob
from simlane.iracing.tasks import NIGHTLY_AT, nightly_sync, refresh_weather_forecasts_task, sync_race_guide_task
from simlane.racenumbers.tasks import auto_sync_numbers, expire_trades_task
from simlane.results.tasks import poll_results

PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("iRacing nightly sync", nightly_sync, at=NIGHTLY_AT),
    PeriodicJob("iRacing race guide", sync_race_guide_task, every=timedelta(minutes=30)),
    PeriodicJob("iRacing weather forecasts", refresh_weather_forecasts_task, every=timedelta(hours=6)),
    # Each server chooses its own interval (auto_sync_minutes); this only looks for servers that are due.
    PeriodicJob("Car-number roster auto-sync", auto_sync_numbers, every=timedelta(minutes=1)),
    PeriodicJob("Car-number swap offers expiry", expire_trades_task, every=timedelta(minutes=15)),
)

BEAT_JOBS: tuple[PeriodicJob, ...] = (
    *PERIODIC_JOBS,
    PeriodicJob("Results search", poll_results, every=timedelta(seconds=settings.RESULTS_POLL_SECONDS)),
)
