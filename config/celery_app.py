"""The Celery app: eager in-process without CELERY_BROKER_URL, real workers with one (for example Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
app = Celery("simlane")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def periodic_tasks(sender: Celery, **_kwargs: object) -> None:
    """Celery beat's schedule: the periodic jobs table (config/periodic.py) entry for entry, and the results search."""
    from config.periodic import BEAT_JOBS
    from simlane.core.periodic import add_to_beat

    add_to_beat(sender, BEAT_JOBS)
