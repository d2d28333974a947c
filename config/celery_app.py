"""The Celery app: eager in-process without CELERY_BROKER_URL, real workers with one (for example Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
app = Celery("simlane")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def periodic_tasks(sender: Celery, **_kwargs: object) -> None:
    """Celery beat's schedule is the periodic jobs table (config/periodic.py), entry for entry."""
    from config.periodic import PERIODIC_JOBS
    from simlane.core.periodic import add_to_beat

    add_to_beat(sender, PERIODIC_JOBS)
