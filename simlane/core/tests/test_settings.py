"""The database and Celery are what the environment says they are."""

from __future__ import annotations

import os
import runpy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.utils import load_backend

from config.settings.base import database_config
from simlane.conftest import POSTGRES_URL


@pytest.mark.django_db
def test_tests_run_on_the_database_the_environment_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.fixture
def open_database(django_db_blocker: Any) -> Iterator[Callable[[dict[str, Any]], Any]]:
    """Open a real connection from a settings dict as Django opens the default one (not the test database)."""
    opened: list[Any] = []

    def open_(config: dict[str, Any]) -> Any:
        settings_dict = connections.configure_settings({"default": config})["default"]
        wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(settings_dict, alias="probe")
        wrapper.ensure_connection()
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        yield open_
        for wrapper in opened:
            wrapper.close()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, open_database):
    # Whatever DATABASE_URL the suite runs on: the SQLite settings SimLane builds, on a real SQLite file.
    probe = open_database(database_config(f"sqlite:///{tmp_path / 'probe.sqlite3'}"))
    with probe.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 30_000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@pytest.mark.needs_postgres
def test_postgresql_keeps_connections_and_checks_them_without_sqlite_options(open_database):
    config = database_config(POSTGRES_URL)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    # Persistent connections, checked before reuse (a restarted server must not break the bot), and none of the
    # SQLite pragmas, which PostgreSQL would reject.
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in config.get("OPTIONS", {}) and "transaction_mode" not in config.get("OPTIONS", {})
    with open_database(config).cursor() as cursor:
        cursor.execute("SHOW default_transaction_isolation")
        assert cursor.fetchone()[0] == "read committed"
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"


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
