"""Tasks every deployment has."""

from __future__ import annotations

import os

from celery import shared_task
from django.db import connection


@shared_task(time_limit=30, soft_time_limit=25)
def health_check() -> dict[str, str | int]:
    """Answer with the process and database that ran the task (proves broker, worker and database are wired)."""
    return {"status": "ok", "database": connection.vendor, "pid": os.getpid()}
