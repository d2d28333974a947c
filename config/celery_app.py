"""The Celery app: eager in-process without CELERY_BROKER_URL, real workers with one (for example Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
app = Celery("simlane")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
