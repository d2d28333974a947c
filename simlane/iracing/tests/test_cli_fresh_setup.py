"""Every `simlane` command works on a fresh database or says in one line what to do (a real SQLite file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_environment

NOT_SET_UP = "The database is not set up yet: run `simlane migrate`."


def _simlane(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "SIMLANE_DATA_DIR": str(tmp_path),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "simlane.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def iracing_env():
    sim = Simulator(SimulatorConfig(members=50))
    url = sim.start_in_thread()
    yield demo_environment(url)
    sim.stop_thread()


def test_a_command_on_a_fresh_database_says_to_migrate_then_works_after_migrate(tmp_path, iracing_env):
    before = _simlane(tmp_path, "iracing", "get", "constants/event_types", **iracing_env)
    assert before.returncode == 1
    assert before.stderr.strip() == NOT_SET_UP  # one line, no traceback
    assert before.stdout == ""

    assert _simlane(tmp_path, "migrate", "--verbosity", "0").returncode == 0
    after = _simlane(tmp_path, "iracing", "get", "constants/event_types", "--compact", **iracing_env)
    assert after.returncode == 0, after.stderr
    assert {"label": "Race", "value": 5} in json.loads(after.stdout)


def test_a_database_behind_the_code_names_the_missing_migrations(tmp_path):
    assert _simlane(tmp_path, "migrate", "--verbosity", "0").returncode == 0
    assert _simlane(tmp_path, "migrate", "racenumbers", "zero", "--verbosity", "0").returncode == 0
    missing = len(list((Path(__file__).parents[2] / "racenumbers" / "migrations").glob("0*.py")))
    run = _simlane(tmp_path, "sync_iracing_reference")
    assert run.returncode == 1
    assert run.stderr.strip() == f"The database is {missing} migration(s) behind this SimLane: run `simlane migrate`."


def test_an_unreachable_database_is_one_line_naming_the_setting(tmp_path):
    run = _simlane(tmp_path, "iracing", "get", "car/get", DATABASE_URL="postgres://postgres@127.0.0.1:1/simlane")
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.stderr.startswith("The database cannot be opened (") and run.stderr.strip().endswith("DATABASE_URL.")


def test_commands_that_set_up_the_database_run_on_a_fresh_one(tmp_path):
    shown = _simlane(tmp_path, "showmigrations", "iracing")
    assert shown.returncode == 0 and "[ ] 0001_initial" in shown.stdout
