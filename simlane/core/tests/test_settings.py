"""The database and Celery are what the environment says they are."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.settings.base import database_config


@pytest.mark.django_db
def test_tests_run_on_the_database_the_environment_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # the PostgreSQL run checks the other branch
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000


def test_database_url_switches_engine_without_code_change():
    assert database_config("postgres://u@127.0.0.1:5432/x")["ENGINE"] == "django.db.backends.postgresql"
    assert database_config("")["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize(("broker", "eager"), [("", True), ("redis://127.0.0.1:6379/15", False)], ids=["none", "redis"])
def test_celery_is_eager_without_a_broker(monkeypatch, broker, eager):
    # The settings module itself, evaluated with and without a broker in the environment.
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    values = runpy.run_path(str(Path(settings.BASE_DIR) / "config/settings/base.py"))
    assert values["CELERY_BROKER_URL"] == broker
    assert values["CELERY_TASK_ALWAYS_EAGER"] is eager
