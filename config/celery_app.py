"""The Celery app: eager in-process without CELERY_BROKER_URL, real workers with one (for example Redis)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
app = Celery("simlane")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def periodic_tasks(sender: Celery, **_kwargs: object) -> None:
    """The one place periodic work is scheduled (Celery beat); entries are task objects, not names."""
    from simlane.iracing.tasks import NIGHTLY_AT, nightly_sync, refresh_weather_forecasts_task, sync_race_guide_task

    at = crontab(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute)
    sender.add_periodic_task(at, nightly_sync.s(), name="iRacing nightly sync")
    sender.add_periodic_task(30 * 60, sync_race_guide_task.s(), name="iRacing race guide")
    sender.add_periodic_task(6 * 3600, refresh_weather_forecasts_task.s(), name="iRacing weather forecasts")
