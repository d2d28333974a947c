"""Two demos on one data directory: the second refuses and says why, and the first one's data survives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

HOLD_A_DEMO = """
import sys, django
django.setup()
from django.contrib.auth.models import Group
from simlane.core.db import demo_database
with demo_database():
    Group.objects.create(name="first demo")
    print("ready", flush=True)
    sys.stdin.read()
"""


def _env(tmp_path) -> dict[str, str]:
    # The demos here are separate processes outside the test database: without DATABASE_URL (the suite's own, on a
    # PostgreSQL run, names a database that only exists with its test prefix) they keep everything in tmp_path.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings.local", "SIMLANE_DATA_DIR": str(tmp_path)}


def _second_demo(tmp_path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simlane.cli", "run", "--demo", "--no-web", "--duration", "1"]
    return subprocess.run(command, env=_env(tmp_path), capture_output=True, text=True, timeout=120)


def _first_demo_rows(tmp_path) -> list[str]:
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        return [name for (name,) in db.execute("SELECT name FROM auth_group")]


def test_a_second_demo_on_the_same_data_directory_refuses_and_wipes_nothing(tmp_path):
    first = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_DEMO],
        env=_env(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "ready"
        second = _second_demo(tmp_path)
        assert second.returncode != 0
        assert (
            f"A SimLane demo is already running on the data directory {tmp_path} (process {first.pid})" in second.stderr
        )
        assert "SIMLANE_DATA_DIR=" in second.stderr
        assert _first_demo_rows(tmp_path) == ["first demo"]  # not flushed by the second demo
    finally:
        first.send_signal(signal.SIGKILL)  # however the first demo ends, its lock goes with it
        first.wait(timeout=20)
    # Once the first demo is gone, a new one starts on the same directory (and starts afresh, as demos do).
    third = _second_demo(tmp_path)
    assert third.returncode == 0, third.stderr
    assert _first_demo_rows(tmp_path) == []
